# Makes the seeded test tables the R reference script reads (run once; outputs are committed).
import csv, math, random
rnd = random.Random(20261122)

def poisson(lam):
    l, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rnd.random()
        if p <= l:
            return k
        k += 1

with open("ps_data.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["person_id", "age", "female", "imd", "prior_ae", "month", "treated", "ae_after", "followup_days"])
    for i in range(400):
        age = round(rnd.uniform(65, 95), 1)
        female = 1 if rnd.random() < 0.55 else 0
        imd = rnd.choice(["a_low", "b_mid", "c_high"])
        prior = poisson(0.4 + 0.02 * (age - 65))
        month = rnd.choice(["2022-01", "2022-02"])
        lin = -2.0 + 0.05 * (age - 80) + 0.3 * female + {"a_low": 0, "b_mid": 0.4, "c_high": 0.8}[imd] + 0.35 * prior
        treated = 1 if rnd.random() < 1 / (1 + math.exp(-lin)) else 0
        fu = rnd.choice([365, 365, 365, 300, 200])
        y = poisson((0.3 + 0.2 * prior) * fu / 365 * (0.8 if treated else 1.0))
        w.writerow([f"p{i:04d}", age, female, imd, prior, month, treated, y, fu])

# A matched sample with sets of 1 treated and 1 or 2 controls (so weights vary).
with open("effects_data.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["subclass", "treated", "y", "followup_days"])
    for s in range(1, 61):
        k = 2 if s % 3 == 0 else 1
        base = rnd.uniform(0.2, 1.5)
        w.writerow([s, 1, poisson(base * 0.8), rnd.choice([365, 300])])
        for _ in range(k):
            w.writerow([s, 0, poisson(base), rnd.choice([365, 300, 250])])
