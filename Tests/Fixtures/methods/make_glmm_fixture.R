# Reference values for the multi-year random-intercept GLMM (issue 17.6):
# lme4::glmer (Laplace, nAGQ = 1) and lme4::glmer.nb on constructed panels
# of authorities over five years, with a context variable and a year effect.
# Run: Rscript make_glmm_fixture.R  (lme4 1.1-31, R 4.2.2)
suppressPackageStartupMessages(library(lme4))
set.seed(20261205)
k <- 60; years <- 2021:2025
id <- rep(sprintf("A%02d", 1:k), each = length(years))
year <- rep(years, k)
x <- rep(round(rnorm(k), 4), each = length(years))
u <- rep(rnorm(k, 0, 0.45), each = length(years))
yeff <- c(0, 0.10, 0.05, -0.08, 0.12)[year - 2020]
n <- round(runif(k * length(years), 40, 600))
p <- plogis(-1.2 + 0.5 * x + yeff + u)
successes <- rbinom(length(p), n, p)
d <- data.frame(id, year, x, n, successes)
# A count panel with an exposure, negative binomial around the random intercept.
exposure <- round(runif(k * length(years), 2000, 40000))
mu <- exposure * exp(-5 + 0.3 * x + yeff + u)
count <- rnbinom(length(mu), size = 12, mu = mu)
d$exposure <- exposure; d$count <- count
write.csv(d, "glmm_data.csv", row.names = FALSE)

ctrl <- glmerControl(optimizer = "bobyqa", optCtrl = list(maxfun = 1e5), check.conv.grad = .makeCC("warning", tol = 1e-6))
fb <- glmer(cbind(successes, n - successes) ~ x + factor(year) + (1 | id), data = d, family = binomial, nAGQ = 1, control = ctrl)
fn <- glmer.nb(count ~ x + factor(year) + offset(log(exposure)) + (1 | id), data = d, nAGQ = 1, control = ctrl)
row <- function(model, f) {
  b <- fixef(f)
  data.frame(model = model, term = c(names(b), "sd_intercept", "theta", "loglik"),
             value = c(unname(b), as.data.frame(VarCorr(f))$sdcor[1],
                       if (model == "negative-binomial") getME(f, "glmer.nb.theta") else NA, as.numeric(logLik(f))))
}
out <- rbind(row("binomial", fb), row("negative-binomial", fn))
write.csv(out, "glmm_reference.csv", row.names = FALSE)
print(out, digits = 10)
