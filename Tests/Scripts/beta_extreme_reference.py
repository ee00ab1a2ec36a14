"""Reference values for the incomplete beta function at unbalanced and large
shapes (Tests/Fixtures/reference/beta_extreme.csv), with mpmath at 50 digits.

mpmath's own betainc stops converging at shapes this large, so integer
shapes use the identity I_x(a, b) = P(Bin(a + b - 1, x) >= a): both tails
are sums of positive binomial terms, each from log-gamma, summed outward
from the boundary until a term is below 1e-45 of the sum. Non-integer
shapes use mpmath.betainc directly (small shapes only).

Also the exact binomial (Clopper-Pearson) 95% limits for 1 and 3 in 1e8,
found by bisection on the same sums.

Run: python3 Tests/Scripts/beta_extreme_reference.py > Tests/Fixtures/reference/beta_extreme.csv
"""
import mpmath as mp

mp.mp.dps = 50


def binomial_tails(a, b, x):
    """(I_x(a, b), 1 - I_x(a, b)) for integer a, b >= 1."""
    n = a + b - 1
    x = mp.mpf(x)
    q = 1 - x

    def term(k):
        return mp.exp(mp.loggamma(n + 1) - mp.loggamma(k + 1) - mp.loggamma(n - k + 1)
                      + k * mp.log(x) + (n - k) * mp.log1p(-x))

    def outward(k, step):
        t = term(k)
        s = t
        while (step > 0 and k < n) or (step < 0 and k > 0):
            t = t * (n - k) / (k + 1) * x / q if step > 0 else t * k / (n - k + 1) * q / x
            k += step
            s += t
            if t < s * mp.mpf(10) ** -45:
                break
        return s

    return outward(a, 1), outward(a - 1, -1)


def bisect(f, lo, hi):
    for _ in range(200):
        mid = (lo + hi) / 2
        if f(mid) > 0:
            hi = mid
        else:
            lo = mid
    return (lo + hi) / 2


print("kind,a,b,x,cdf,sf")
for a, b, x in [(2, 999999, 5.5e-6), (2, 99999999, 5.5e-8), (4, 99999997, 7e-8), (100, 99999900, 1.1e-6),
                (3000, 5000000, 6.1e-4), (1000000, 1000000, 0.5), (10000000, 30000000, 0.25),
                (1, 99999999, 3e-8), (99999999, 1, 0.99999997), (99999998, 2, 0.99999995), (51, 99999950, 4e-7)]:
    c, s = binomial_tails(a, b, x)
    print(f"beta,{a},{b},{mp.nstr(mp.mpf(x), 17)},{mp.nstr(c, 25)},{mp.nstr(s, 25)}")
for a, b, x in [(0.5, 0.5, 0.3), (5, 0.5, 0.7), (0.1, 3, 0.2), (3, 0.1, 0.9), (0.3, 0.7, 0.5), (2000, 0.5, 0.9995)]:
    x = mp.mpf(x)
    print(f"beta,{a},{b},{mp.nstr(x, 17)},{mp.nstr(mp.betainc(a, b, 0, x, regularized=True), 25)},"
          f"{mp.nstr(mp.betainc(a, b, x, 1, regularized=True), 25)}")
# Clopper-Pearson 95% limits of x in n: lower solves I_p(x, n - x + 1) = 0.025,
# upper solves I_p(x + 1, n - x) = 0.975.
alpha = mp.mpf("0.025")
for count, n in [(1, 100000000), (3, 100000000), (1, 10000000)]:
    lower = bisect(lambda p: binomial_tails(count, n - count + 1, p)[0] - alpha, mp.mpf(0), mp.mpf(count) / n * 2)
    upper = bisect(lambda p: binomial_tails(count + 1, n - count, p)[0] - (1 - alpha), mp.mpf(count) / n,
                   mp.mpf(count + 20) / n * 3)
    print(f"clopper_pearson,{count},{n},,{mp.nstr(lower, 25)},{mp.nstr(upper, 25)}")
