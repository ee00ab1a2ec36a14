# Makes shrinkage_reference.csv for ContextualShrinkageTests: the beta-binomial prior
# precision M by maximum likelihood, with the prior centred on each unit's fitted
# proportion from glm(binomial) on loo_data.csv (optimize on log M, tol 1e-12).
# Run from this folder: Rscript make_shrinkage_fixture.R
d <- read.csv("loo_data.csv")
mu <- fitted(glm(cbind(s, trials - s) ~ x1 + x2, family = binomial, data = d))
nll <- function(lm) { m <- exp(lm); a <- m * mu; b <- m * (1 - mu)
  -sum(lbeta(d$s + a, d$trials - d$s + b) - lbeta(a, b)) }
M <- exp(optimize(nll, c(-5, 25), tol = 1e-12)$minimum)
writeLines(sprintf("precision,%.15g", M), "shrinkage_reference.csv")
cat(sprintf("M %.12g\n", M))
