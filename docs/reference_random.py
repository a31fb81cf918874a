"""Reference implementation of nnsim's random numbers (docs/random-numbers.md), for reproducing
nnsim's draws outside nnsim. Running it prints the values Tests/SimTests/RandomTests.swift expects."""
import math

M = (1 << 64) - 1

def rotl(x, k):
    return ((x << k) | (x >> (64 - k))) & M

class Generator:
    def __init__(self, seed):
        sm = seed & M
        self.s = []
        for _ in range(4):                      # SplitMix64 expands the seed into the state
            sm = (sm + 0x9E3779B97F4A7C15) & M
            z = sm
            z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
            z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
            self.s.append(z ^ (z >> 31))
        self.spare = None

    def next(self):                             # xoshiro256**
        s = self.s
        result = (rotl((s[1] * 5) & M, 7) * 9) & M
        t = (s[1] << 17) & M
        s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotl(s[3], 45)
        return result

    def uniform(self):                          # [0, 1), 53 random bits
        return (self.next() >> 11) * 2.0 ** -53

    def integer(self, n):                       # unbiased 0..<n by rejection
        zone = (1 << 64) - ((1 << 64) % n)
        while True:
            r = self.next()
            if r < zone:
                return r % n

    def gaussian(self):                         # Box–Muller, both values used in turn
        if self.spare is not None:
            z, self.spare = self.spare, None
            return z
        u1 = 1.0 - self.uniform()               # (0, 1]: log never sees 0
        u2 = self.uniform()
        r = math.sqrt(-2.0 * math.log(u1))
        self.spare = r * math.sin(2.0 * math.pi * u2)
        return r * math.cos(2.0 * math.pi * u2)

    def shuffle(self, items):                   # Fisher–Yates from the end
        for i in range(len(items) - 1, 0, -1):
            j = self.integer(i + 1)
            items[i], items[j] = items[j], items[i]
        return items

if __name__ == "__main__":
    g = Generator(42)
    print("next", [g.next() for _ in range(4)])
    g = Generator(42)
    print("uniform", [repr(g.uniform()) for _ in range(3)])
    g = Generator(7)
    print("gaussian", [repr(g.gaussian()) for _ in range(4)])
    g = Generator(2024)
    print("integer", [g.integer(10) for _ in range(8)])
    g = Generator(1)
    print("shuffle", g.shuffle(list(range(10))))
    g = Generator(0)
    print("seed0", [g.next() for _ in range(2)])
