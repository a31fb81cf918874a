"""Reference implementation of nnsim's random numbers (docs/random-numbers.md), for reproducing
nnsim's draws outside nnsim. Running it prints the values Tests/SimTests/RandomTests.swift expects;
`python3 reference_random.py datasets` prints the built-in data sets (blobs, moons, spiral, circles) one
point a line, `name x1 x2 class`, then line-noisy as `line-noisy x d`, which Tests/LessonsTests/GeneratedDataTests.swift compares bit for bit."""
import math
import sys

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

# The built-in data sets (docs/random-numbers.md, "Data sets"): each from Generator(1), class by class,
# a point's x noise drawn before its y noise. Each returns a list of (x1, x2, class).
def blobs():
    g, points = Generator(1), []
    for k, (cx, cy) in enumerate([(0.0, 2.0), (-1.75, -1.0), (1.75, -1.0)]):
        for _ in range(30):
            x = cx + g.gaussian()
            y = cy + g.gaussian()
            points.append((x, y, k))
    return points

def moons():
    g, points = Generator(1), []
    for k in range(2):
        for i in range(50):
            t = math.pi * i / 49
            cx, cy = (math.cos(t), math.sin(t)) if k == 0 else (1 - math.cos(t), 0.5 - math.sin(t))
            x = cx + 0.15 * g.gaussian()
            y = cy + 0.15 * g.gaussian()
            points.append((x, y, k))
    return points

def spiral():                                   # CS231n's spiral
    g, points = Generator(1), []
    for j in range(3):
        for i in range(50):
            r = i / 49
            t = 4 * j + i * (4 / 49) + 0.2 * g.gaussian()
            points.append((r * math.sin(t), r * math.cos(t), j))
    return points

def circles():
    g, points = Generator(1), []
    for k, radius in enumerate([1.0, 0.5]):
        for i in range(50):
            t = 2 * math.pi * i / 50
            x = radius * math.cos(t) + 0.08 * g.gaussian()
            y = radius * math.sin(t) + 0.08 * g.gaussian()
            points.append((x, y, k))
    return points

def line_noisy():                               # a regression line: (x, d) pairs
    g, points = Generator(1), []
    for i in range(30):
        x = 5 * i / 29
        points.append((x, 2 * x + 1 + 0.5 * g.gaussian()))
    return points

if __name__ == "__main__" and sys.argv[1:] == ["datasets"]:
    for name, points in [("blobs", blobs()), ("moons", moons()), ("spiral", spiral()), ("circles", circles())]:
        for x, y, k in points:
            print(name, repr(x), repr(y), k)
    for x, d in line_noisy():
        print("line-noisy", repr(x), repr(d))
elif __name__ == "__main__":
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
