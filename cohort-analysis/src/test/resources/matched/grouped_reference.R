# R reference for the propensity fit on a table with few covariate patterns (integer ages, counts):
# idw fits the GLR on grouped rows (pattern, fraction treated, count); R fits glm on the units.
# Run once from this directory:  Rscript grouped_reference.R > grouped_reference.json
# (writes grouped_data.csv too; CI does not need R).
set.seed(20261122)
n <- 3000
age <- sample(65:94, n, replace = TRUE)
female <- rbinom(n, 1, 0.55)
imd <- sample(c("a_low", "b_mid", "c_high"), n, replace = TRUE)
prior_ae <- pmin(rpois(n, 0.3 + 0.03 * (age - 65)), 4)
lin <- -2 + 0.04 * (age - 80) + 0.5 * prior_ae + 0.3 * (imd == "c_high") - 0.2 * female
treated <- rbinom(n, 1, plogis(lin))
d <- data.frame(person_id = sprintf("g%04d", seq_len(n)), age, female, imd, prior_ae,
                month = sample(c("2022-01", "2022-02"), n, replace = TRUE), treated,
                ae_after = rpois(n, 0.5), followup_days = 365)
write.csv(d, "grouped_data.csv", row.names = FALSE, quote = FALSE)
d$imd <- factor(d$imd)
ps <- glm(treated ~ age + female + imd + prior_ae, family = binomial, data = d)
num <- function(x) sprintf("%.17g", x)
cat("{\n")
cat(sprintf("  \"r_version\": \"%s\",\n", R.version.string))
cat(sprintf("  \"patterns\": %d,\n", nrow(unique(d[, c("age", "female", "imd", "prior_ae")]))))
cat(sprintf("  \"ps_coefficients\": {%s},\n", paste(sprintf("\"%s\": %s", names(coef(ps)), num(coef(ps))), collapse = ", ")))
cat(sprintf("  \"ps_deviance\": %s,\n", num(deviance(ps))))
cat(sprintf("  \"ps_sd_all_units\": %s\n", num(sd(fitted(ps)))))
cat("}\n")
