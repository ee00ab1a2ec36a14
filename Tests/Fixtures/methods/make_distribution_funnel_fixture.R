# Makes dist_funnel_data.csv and dist_funnel_reference.csv for DistributionFunnelTests.
# Negative binomial: theta by ML with the mean fixed at the pooled rate (MASS::theta.ml);
# limits by qnbinom. Beta-binomial: rho by ML (optimize on the log-likelihood written with
# lbeta), limits by cumulative sums of the pmf.
# Run from this folder: Rscript make_distribution_funnel_fixture.R
suppressPackageStartupMessages(library(MASS))
set.seed(17)
k <- 40
pop <- sample(2000:60000, k, replace = TRUE)
cnt <- rnbinom(k, mu = pop * 0.004, size = 6)
trials <- sample(15:600, k, replace = TRUE)
p <- rbeta(k, 0.25 * 30, 0.75 * 30)
succ <- rbinom(k, trials, p)
write.csv(data.frame(pop, cnt, trials, succ), "dist_funnel_data.csv", row.names = FALSE, quote = FALSE)
rate <- sum(cnt) / sum(pop)
theta <- theta.ml(cnt, rate * pop, limit = 200)[1]
pi0 <- sum(succ) / sum(trials)
nll <- function(lr) { rho <- plogis(lr); a <- pi0 * (1 - rho) / rho; b <- (1 - pi0) * (1 - rho) / rho
  -sum(lbeta(succ + a, trials - succ + b) - lbeta(a, b)) }
rho <- plogis(optimize(nll, c(-20, 10), tol = 1e-12)$minimum)
bbq <- function(n, q) { a <- pi0 * (1 - rho) / rho; b <- (1 - pi0) * (1 - rho) / rho
  pmf <- exp(lchoose(n, 0:n) + lbeta(0:n + a, n - 0:n + b) - lbeta(a, b)); which(cumsum(pmf) >= q)[1] - 1 }
ref <- data.frame(unit = 1:k,
  nb_lower_95 = qnbinom(0.025, mu = rate * pop, size = theta), nb_upper_95 = qnbinom(0.975, mu = rate * pop, size = theta),
  nb_lower_998 = qnbinom(0.001, mu = rate * pop, size = theta), nb_upper_998 = qnbinom(0.999, mu = rate * pop, size = theta),
  bb_lower_95 = sapply(trials, bbq, 0.025), bb_upper_95 = sapply(trials, bbq, 0.975),
  bb_lower_998 = sapply(trials, bbq, 0.001), bb_upper_998 = sapply(trials, bbq, 0.999))
write.csv(ref, "dist_funnel_reference.csv", row.names = FALSE, quote = FALSE)
writeLines(sprintf("theta,%.15g\nrho,%.15g", theta, rho), "dist_funnel_parameters.csv")
cat(sprintf("theta %.10g rho %.10g\n", theta, rho))
