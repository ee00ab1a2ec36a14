# Makes loo_data.csv and loo_reference.csv for LeaveOneOutSkillTests.
# Run from this folder: Rscript make_loo_fixture.R
# Leave-one-out deviance explained by exact refits, as PeerLens defines it:
#   1 - sum d(y_i, mu_-i) / sum d(y_i, pooled_-i)
# with d the family's unit deviance (negative binomial: the full fit's theta)
# and pooled_-i the intercept-only model fitted to the other rows (binomial:
# sum s / sum n; negative binomial with offset log(pop): the maximum-likelihood
# rate at the full fit's theta, times pop_i; least squares: the mean).
# The negative binomial row was first made with the ratio of sums as its
# pooled rate (0.599647485356132). When the definition changed (2026-12-06,
# no R at hand) its value was carried over: the same numerator (the refits'
# deviance, unchanged) over the new denominator computed in mpmath at 40
# digits, giving 0.596200817563664; this script now computes it directly.
suppressPackageStartupMessages(library(MASS))
set.seed(20261204)
n <- 60
x1 <- round(rnorm(n), 4); x2 <- round(runif(n), 4)
trials <- sample(20:400, n, replace = TRUE)
p <- plogis(-1 + 0.5 * x1 - 0.8 * x2 + rnorm(n, 0, 0.3))
s <- rbinom(n, trials, p)
pop <- sample(5000:90000, n, replace = TRUE)
mu <- pop * exp(-6 + 0.4 * x1 + 0.3 * x2)
cnt <- rnbinom(n, mu = mu, size = 8)
g <- x1 * 0 + round(rnorm(n, 50 + 3 * x1, 5), 3)
d <- data.frame(x1, x2, trials, s, pop, cnt, g)
write.csv(d, "loo_data.csv", row.names = FALSE, quote = FALSE)

loo <- function(fitfun, pred, dev, pooled) {
  num <- 0; den <- 0
  for (i in seq_len(n)) {
    f <- fitfun(d[-i, ])
    num <- num + dev(i, pred(f, d[i, , drop = FALSE]))
    den <- den + dev(i, pooled(i))
  }
  1 - num / den
}
# Binomial
bfit <- glm(cbind(s, trials - s) ~ x1 + x2, family = binomial, data = d)
bdev <- function(i, m) binomial()$dev.resids(d$s[i] / d$trials[i], m, d$trials[i])
b_loo <- loo(function(dd) glm(cbind(s, trials - s) ~ x1 + x2, family = binomial, data = dd),
             function(f, nd) predict(f, nd, type = "response"), bdev,
             function(i) sum(d$s[-i]) / sum(d$trials[-i]))
# Quasi-binomial: same point predictions, binomial deviance
# Negative binomial with offset
nfit <- glm.nb(cnt ~ x1 + x2 + offset(log(pop)), data = d)
th <- nfit$theta
ndev <- function(i, m) negative.binomial(th)$dev.resids(d$cnt[i], m, 1)
n_loo <- loo(function(dd) glm.nb(cnt ~ x1 + x2 + offset(log(pop)), data = dd),
             function(f, nd) predict(f, nd, type = "response"), ndev,
             function(i) {
               f0 <- glm(cnt ~ 1 + offset(log(pop)), family = negative.binomial(th), data = d[-i, ],
                         control = glm.control(epsilon = 1e-12))
               exp(coef(f0)[[1]]) * d$pop[i]
             })
# Gaussian (least squares)
gdev <- function(i, m) (d$g[i] - m)^2
g_loo <- loo(function(dd) lm(g ~ x1 + x2, data = dd), function(f, nd) predict(f, nd), gdev,
             function(i) mean(d$g[-i]))
ref <- data.frame(model = c("binomial", "negative_binomial", "gaussian"),
                  in_sample = c(1 - bfit$deviance / bfit$null.deviance, 1 - nfit$deviance / nfit$null.deviance,
                                summary(lm(g ~ x1 + x2, data = d))$r.squared),
                  loo_deviance_explained = c(b_loo, n_loo, g_loo), theta = c(NA, th, NA))
write.csv(format(ref, digits = 15), "loo_reference.csv", row.names = FALSE, quote = FALSE)
print(ref, digits = 10)
