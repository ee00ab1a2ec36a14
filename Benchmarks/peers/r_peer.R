# The same workloads in R: lm.fit loops for all-subsets selection,
# MASS::glm.nb for the negative-binomial bootstrap, glm for Poisson fits.
# Usage: Rscript r_peer.R WORK_DIR SIZE
args <- commandArgs(trailingOnly = TRUE)
W <- args[1]
reps <- if (length(args) > 1 && args[2] == "full") 3 else 1
suppressPackageStartupMessages(library(MASS))

timed <- function(workload, fn) {
  times <- numeric(reps)
  for (r in seq_len(reps)) { t0 <- proc.time()[["elapsed"]]; fn(); times[r] <- proc.time()[["elapsed"]] - t0 }
  cat(sprintf('{"workload": "%s", "peer": "R", "seconds": %.6f}\n', workload, median(times)))
}

candidates <- c("imd19_avg_score", "imd19_prop_lsoa_most_dep10", "imd19_extent", "income19_avg_score",
                "employment19_avg_score", "pct_white_british", "pct_asian", "pct_black", "pct_mixed",
                "pct_hh_overcrowded_bedrooms", "pct_hh_social_rented", "pct_hh_in_rural_lsoa_ruc21")

selection <- function() {
  ids <- readLines(file.path(W, "selection_indicators.txt"))
  out <- "indicator,best_variables,best_aic,best_loo_mse,subsets"
  for (id in ids) {
    d <- as.matrix(read.csv(file.path(W, paste0("selection_", id, ".csv"))))
    y <- d[, 1]; X <- d[, -1]; n <- length(y); k <- ncol(X)
    best <- list(aic = Inf)
    count <- 0
    for (mask in 0:(2^k - 1)) {
      vars <- which(bitwAnd(mask, 2^(0:(k - 1))) > 0)
      Xs <- cbind(1, X[, vars, drop = FALSE])
      fit <- lm.fit(Xs, y)
      h <- rowSums(qr.Q(fit$qr)^2)
      rss <- sum(fit$residuals^2)
      ll <- -0.5 * n * (log(2 * pi) + 1 - log(n) + log(rss))
      aic <- -2 * ll + 2 * (fit$rank + 1)
      loo <- mean((fit$residuals / (1 - h))^2)
      count <- count + 1
      if (aic < best$aic - 1e-9) best <- list(aic = aic, vars = vars, loo = loo)
    }
    out <- c(out, sprintf("%s,%s,%.17g,%.17g,%d", id, paste(candidates[sort(best$vars)], collapse = ";"), best$aic, best$loo, count))
  }
  writeLines(out, file.path(W, "out_selection_R.csv"))
}

nb_bootstrap <- function() {
  d <- read.csv(file.path(W, "nb.csv"))
  boots <- readLines(file.path(W, "nb_bootstrap.csv"))
  f <- count ~ imd19_avg_score + pct_ethnic_minority_excl_white_minorities + pct_hh_overcrowded_bedrooms + pct_hh_in_rural_lsoa_ruc21 + offset(log(population))
  fit <- glm.nb(f, data = d)
  out <- c("resample,intercept,imd,eth,overcrowd,rural,theta", paste(c("full", sprintf("%.17g", c(coef(fit), fit$theta))), collapse = ","))
  for (r in seq_along(boots)) {
    idx <- as.integer(strsplit(boots[r], ",")[[1]]) + 1
    fit <- tryCatch(glm.nb(f, data = d[idx, ]), error = function(e) NULL)
    vals <- if (is.null(fit)) rep(NA, 6) else c(coef(fit), fit$theta)
    out <- c(out, paste(c(r - 1, sprintf("%.17g", vals)), collapse = ","))
  }
  writeLines(out, file.path(W, "out_nb_R.csv"))
}

poisson_fits <- function() {
  d <- read.csv(file.path(W, "nb.csv"))
  f <- count ~ imd19_avg_score + pct_ethnic_minority_excl_white_minorities + pct_hh_overcrowded_bedrooms + pct_hh_in_rural_lsoa_ruc21 + offset(log(population))
  for (i in 1:200) fit <- glm(f, family = poisson, data = d, control = glm.control(epsilon = 1e-10))
  writeLines(c("intercept,imd,eth,overcrowd,rural", paste(sprintf("%.17g", coef(fit)), collapse = ",")), file.path(W, "out_poisson_R.csv"))
}

# Beta-binomial prior precision M by maximum likelihood (log M searched
# over `bracket`), as PeerLens's ContextualShrinkage.betaBinomialPrecision.
bb_precision <- function(s, n, mu, bracket) {
  mu <- pmin(pmax(mu, 1e-9), 1 - 1e-9)
  nll <- function(lm) { m <- exp(lm); -sum(lbeta(s + m * mu, n - s + m * (1 - mu)) - lbeta(m * mu, m * (1 - mu))) }
  exp(optimize(nll, bracket, tol = 1e-6)$minimum)
}

# Rank intervals by parametric bootstrap with a refit per resample, the
# loop of PeerLens's ModelRankBootstrap: redraw the counts from the fitted
# model, refit (glm.nb or quasi-binomial glm, started from the full fit),
# draw each authority's value from its posterior given its own count, rank.
rank_bootstrap <- function() {
  ids <- read.csv(file.path(W, "rank_indicators.csv"), stringsAsFactors = FALSE)
  out <- "indicator,row,lower,upper"
  set.seed(20261204)
  for (j in seq_len(nrow(ids))) {
    d <- as.matrix(read.csv(file.path(W, paste0("rank_", ids$id[j], ".csv"))))
    y <- d[, "y"]; size <- d[, "size"]; off <- d[, "offset"]
    X <- d[, grep("^x", colnames(d)), drop = FALSE]
    B <- ids$resamples[j]; higher <- ids$higher[j] == 1; n <- length(y)
    ranks <- matrix(NA_integer_, B, n)
    if (ids$kind[j] == "negative-binomial") {
      fit <- glm.nb(y ~ 0 + X + offset(off))
      mu <- fitted(fit); th <- fit$theta
      for (b in seq_len(B)) {
        ys <- rnbinom(n, size = th, mu = mu)
        f <- tryCatch(suppressWarnings(glm.nb(ys ~ 0 + X + offset(off), start = coef(fit), init.theta = th)),
                      error = function(e) NULL)
        if (is.null(f)) next
        ms <- fitted(f); ts <- min(f$theta, 1e8)
        v <- ms * rgamma(n, shape = y + ts) / (ts + ms) / size
        ranks[b, ] <- rank(if (higher) -v else v, ties.method = "first")
      }
    } else {
      fit <- glm(cbind(y, size - y) ~ 0 + X, family = quasibinomial)
      mu <- fitted(fit)
      M <- bb_precision(y, size, mu, c(-5, 25))
      for (b in seq_len(B)) {
        # Workforce figures are FTEs: the draw is of whole posts, as in PeerLens.
        ss <- rbinom(n, round(size), rbeta(n, M * mu, M * (1 - mu)))
        f <- tryCatch(suppressWarnings(glm(cbind(ss, size - ss) ~ 0 + X, family = quasibinomial, start = coef(fit))),
                      error = function(e) NULL)
        if (is.null(f)) next
        ms <- pmin(pmax(fitted(f), 1e-12), 1 - 1e-12)
        Ms <- bb_precision(ss, size, ms, log(M) + c(-3, 3))
        v <- rbeta(n, y + Ms * ms, size - y + Ms * (1 - ms))
        ranks[b, ] <- rank(if (higher) -v else v, ties.method = "first")
      }
    }
    for (i in seq_len(n)) {
      r <- sort(ranks[!is.na(ranks[, i]), i])
      k <- length(r)
      out <- c(out, sprintf("%s,%d,%d,%d", ids$id[j], i - 1, r[floor(0.025 * (k - 1)) + 1], r[ceiling(0.975 * (k - 1)) + 1]))
    }
  }
  writeLines(out, file.path(W, "out_rank_R.csv"))
}

# Each workload runs where the harness wrote its input.
has <- function(name) file.exists(file.path(W, name))
if (has("selection_indicators.txt")) timed("selection", selection)
if (has("nb_bootstrap.csv")) timed("nb_bootstrap", nb_bootstrap)
if (has("nb.csv")) timed("poisson_fits", poisson_fits)
if (has("rank_indicators.csv")) timed("rank_bootstrap", rank_bootstrap)
