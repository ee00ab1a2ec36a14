# Makes tau2_roots.csv for BetweenUnitVarianceTests: REML and Paule-Mandel tau^2 on the BCG
# trials as roots of their estimating equations (uniroot, tol 1e-16), and the REML
# log-likelihood maximiser by optimize(). The shared reference's REML value (0.313243261126)
# is the optimiser's: the restricted likelihood is flat to 17 digits between it and the
# root 0.313243258136, so only the root is defined to 1e-12.
# Run from this folder: Rscript make_tau2_roots.R
d <- read.csv("bcg.csv")
y <- log((d$tpos / (d$tpos + d$tneg)) / (d$cpos / (d$cpos + d$cneg)))
v <- 1 / d$tpos - 1 / (d$tpos + d$tneg) + 1 / d$cpos - 1 / (d$cpos + d$cneg)
reml_score <- function(t) { w <- 1 / (v + t); mu <- sum(w * y) / sum(w); sum(w^2 * (y - mu)^2) - sum(w) + sum(w^2) / sum(w) }
pm_q <- function(t) { w <- 1 / (v + t); mu <- sum(w * y) / sum(w); sum(w * (y - mu)^2) - (length(y) - 1) }
out <- data.frame(estimator = c("reml", "pm"),
                  tau2 = c(uniroot(reml_score, c(0, 5), tol = 1e-16)$root, uniroot(pm_q, c(0, 5), tol = 1e-16)$root))
write.csv(format(out, digits = 16), "tau2_roots.csv", row.names = FALSE, quote = FALSE)
print(out, digits = 16)
