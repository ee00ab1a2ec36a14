# Makes the model.matrix() fixtures for FormulaModelMatrixTests.
#
# Run once from this folder with `Rscript make_fixtures.R`; the outputs are
# committed, and the tests read them (CI has no R). Each case file holds:
#   formula <TAB> the formula
#   data    <TAB> "all", or "no-weights" where R was given the data without
#                 the weights column (PeerLens's `.` leaves the --weights
#                 column out; R's would include it as a predictor)
#   terms   <TAB> term labels (attr(terms, "term.labels")), intercept first if any
#   columns <TAB> column names of model.matrix()
#   assign  <TAB> attr(, "assign")
#   then one line per row of the matrix, values printed with 17 significant digits.
d <- data.frame(
  y = c(1.5, 2.25, 2.0, 4.5, 3.0, 6.5, 5.0, 7.5, 4.0),
  x = c(1, 2, 3, 4, 5, 6, 7, 8, 9.5),
  z = c(2.5, 1, 4, 3, 6, 5, 8, 7, 0.5),
  u = c(10, 12, 9, 15, 11, 20, 14, 18, 13),
  f = c("b", "a", "c", "b", "a", "c", "a", "b", "c"),
  g = c("lo", "hi", "hi", "lo", "lo", "hi", "hi", "lo", "hi"),
  k = c(1L, 3L, 2L, 2L, 1L, 3L, 3L, 1L, 2L),
  w = c(1, 2, 1, 3, 1, 2, 1, 2, 1)
)
write.csv(d, "data.csv", row.names = FALSE, quote = FALSE)
d <- read.csv("data.csv", stringsAsFactors = TRUE)

cases <- c(
  "y ~ x",
  "y ~ x + z",
  "y ~ x + z - z",
  "y ~ x - 1",
  "y ~ x + 0",
  "y ~ 0 + x",
  "y ~ -1 + x",
  "y ~ 1",
  "y ~ x - 1 + 1",
  "y ~ f",
  "y ~ f - 1",
  "y ~ 0 + f + g",
  "y ~ f + g",
  "y ~ f * g",
  "y ~ f:g",
  "y ~ 0 + f:g",
  "y ~ f + g + f:g - 1",
  "y ~ x:x",
  "y ~ x + x",
  "y ~ x^2",
  "y ~ (x)",
  "y ~ x:f",
  "y ~ f:x",
  "y ~ x * f",
  "y ~ f + x:f",
  "y ~ x:z + x",
  "y ~ z + x:z + x",
  "y ~ x * z",
  "y ~ (x + z)^2 - 1",
  "y ~ (x + z + f)^2",
  "y ~ (x + z + u)^3",
  "y ~ (x + z + f)^2 - x:z",
  "y ~ x * z * f - x:z:f",
  "y ~ (f + g)^2",
  "y ~ f:g:x",
  "y ~ .",
  "y ~ . - u",
  "y ~ .^2 - f:g",
  "y ~ x + factor(k)",
  "y ~ k + factor(k)",
  "y ~ factor(k):x",
  "y ~ 0 + factor(k) + f",
  "y ~ I(x^2) + log(z)",
  "y ~ x + I(x^2) + I(x^3)",
  "y ~ log(x + 1) + sqrt(z) + exp(u/10)",
  "y ~ I(-x) + abs(u - 12)",
  "y ~ I(x * z) + x:z",
  "y ~ log(x):f",
  "y ~ f/x",
  "y ~ (f + g)/x",
  "log(y) ~ x + f",
  "y ~ x + offset(log(u))",
  "y ~ f * g - f",
  "y ~ f * g - f - g",
  "y ~ 0 + f * g",
  "y ~ 0 + x:f",
  "y ~ 0 + x + f:g",
  "y ~ f - 1 + x:f",
  "y ~ (x + f)^2 - 1",
  "y ~ I(x^2):f + f",
  "y ~ factor(k) * f",
  "y ~ x * z - x - z",
  "y ~ -x + z",
  "y ~ . - f - g + f:g",
  "y ~ z + (x + f):g"
)

dir.create("cases", showWarnings = FALSE)
for (i in seq_along(cases)) {
  fo <- as.formula(cases[i])
  dot <- grepl(".", cases[i], fixed = TRUE) && grepl("(^|[^a-z])\\.($|[^a-z0-9])", cases[i])
  data <- if (dot) d[setdiff(names(d), "w")] else d
  mm <- model.matrix(fo, data = data)
  tt <- terms(fo, data = data)
  labels <- attr(tt, "term.labels")
  if (attr(tt, "intercept") == 1) labels <- c("(Intercept)", labels)
  lines <- c(
    paste("formula", cases[i], sep = "\t"),
    paste("data", if (dot) "no-weights" else "all", sep = "\t"),
    paste(c("terms", labels), collapse = "\t"),
    paste(c("columns", colnames(mm)), collapse = "\t"),
    paste(c("assign", attr(mm, "assign")), collapse = "\t")
  )
  for (r in seq_len(nrow(mm))) lines <- c(lines, paste(sprintf("%.17g", mm[r, ]), collapse = "\t"))
  writeLines(lines, sprintf("cases/%02d.tsv", i))
}
cat(length(cases), "cases written\n")

# `--weights w` with a formula that does not mention w: R's weighted fit.
# `y ~ .` with weights: PeerLens leaves w out of `.`, so R is given the
# data without it.
fits <- list(
  "y ~ x" = lm(y ~ x, data = d, weights = w),
  "y ~ x + f" = lm(y ~ x + f, data = d, weights = w),
  "y ~ ." = lm(y ~ ., data = d[setdiff(names(d), "w")], weights = d$w)
)
lines <- character()
for (fo in names(fits)) {
  co <- coef(fits[[fo]])
  lines <- c(lines, paste(c(fo, sprintf("%s=%.17g", names(co), co)), collapse = "\t"))
}
writeLines(lines, "weighted_lm.tsv")
