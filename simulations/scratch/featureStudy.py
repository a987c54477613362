# Scratch (reference only, never a product dependency): scikit-learn feature and model-class study on VALIDATION days.
# Export first: (cd simulations && node --import tsx scratch/exportFeatures.ts soccermon /tmp/q); then
# OMP_NUM_THREADS=1 /usr/bin/python3 -u simulations/scratch/featureStudy.py soccermon a|b|d|e (Debian python3-sklearn, python3-pandas).
# Modes: a = feature variants, b = full trees / additive / test-day figures, d = additive + pairs with one hub feature, e = our fixed bins.
import sys, numpy as np, pandas as pd
from sklearn.ensemble import HistGradientBoostingRegressor
ds = sys.argv[1] if len(sys.argv) > 1 else 'soccermon'
ex = pd.read_csv(f'/tmp/q/{ds}-examples.csv'); raw = pd.read_csv(f'/tmp/q/{ds}-raw.csv')
raw['date'] = pd.to_datetime(raw['date'])
items = ['readiness','fatigue','mood','sleepQuality','soreness','stress','sleepHours']
g = raw.groupby('athlete', group_keys=False)
import warnings; warnings.filterwarnings('ignore')
extra = pd.DataFrame({'athlete': raw.athlete, 'day': raw.day})
extra['dow'] = raw.date.dt.dayofweek
r = raw.readiness
# last observed readiness (carry forward) and days since
extra['r_last'] = g['readiness'].ffill()
obs = raw.day.where(r.notna())
extra['days_since_r'] = raw.day - obs.groupby(raw.athlete).ffill()
extra['r_today_obs'] = r.notna().astype(float)
for it in items:
    s = raw[it]
    em = g[it].apply(lambda x: x.expanding().mean())
    esd = g[it].apply(lambda x: x.expanding().std())
    extra[f'{it}_ez'] = ((s - em) / esd.clip(lower=0.5))
    extra[f'{it}_emean'] = em
    extra[f'{it}_ewm'] = g[it].apply(lambda x: x.ewm(halflife=3, ignore_na=True).mean())
    extra[f'{it}_rlag1'] = g[it].shift(1)
extra['load'] = raw['load']
extra['load_lag1'] = g['load'].shift(1)
# weekday mean of readiness change so far (athlete-specific dow effect) - leak-free: expanding by athlete x dow, shifted
raw['dr_next'] = g['readiness'].shift(-1) - raw['readiness']
raw['dow'] = extra['dow']
extra['r_dow_mean'] = raw.groupby(['athlete','dow'], group_keys=False)['readiness'].apply(lambda x: x.shift(1).expanding().mean())
raw['dow_next'] = (extra['dow'] + 1) % 7
df = ex.merge(extra, on=['athlete','day'], how='left')
base_cols = [c for c in ex.columns if c not in ('athlete','day','split','y')]
df['base'] = 5 + 2.5*df['readiness_value']
tr, va, te = (df[df.split == s] for s in ('fit','val','test'))
def run(cols, loss='absolute_error', label='', target='change', eval_test=False, **kw):
    b = lambda d: d['base'] if target == 'change' else 0
    fit = pd.concat([tr, va]) if eval_test else tr
    ev = te if eval_test else va
    params = dict(learning_rate=0.1, max_iter=300, early_stopping=False, random_state=0); params.update(kw)
    m = HistGradientBoostingRegressor(loss=loss, **params).fit(fit[cols], fit.y - b(fit))
    out = []
    for k, p in enumerate(m.staged_predict(ev[cols])):
        e = p + b(ev) - ev.y
        out.append((np.mean(np.abs(e)), np.sqrt(np.mean(e**2))))
    out = np.array(out); i = out[:, 0].argmin() if loss == 'absolute_error' else out[:, 1].argmin()
    print(f'{label:40s} {loss[:3]} best@{i+1:3d} MAE {out[i,0]:.4f} RMSE {out[i,1]:.4f}  @100 {out[99,0]:.4f}/{out[99,1]:.4f}', flush=True)
which = sys.argv[2] if len(sys.argv) > 2 else 'a'
if which == 'a':
    p = np.mean(np.abs(va.y - va.base)); print('persistence(val, base)', p, np.sqrt(np.mean((va.y-va.base)**2)))
    p = np.mean(np.abs(va.y - va.r_last.fillna(va.base))); print('persistence(val, r_last)', p)
    run(base_cols, label='48 features')
    run(base_cols, loss='squared_error', label='48 features')
    run(base_cols + ['dow'], label='+dow')
    run(base_cols + ['r_last','days_since_r','r_today_obs'], label='+r_last,days_since')
    run(base_cols + [f'{it}_ez' for it in items], label='+expanding z')
    run(base_cols + [f'{it}_emean' for it in items], label='+expanding means all items')
    run(base_cols + [f'{it}_ewm' for it in items], label='+ewm hl3')
    run(base_cols + [f'{it}_rlag1' for it in items], label='+lag1 all items')
    run(base_cols + ['load','load_lag1'], label='+raw load')
    run(base_cols + ['r_dow_mean'], label='+r dow mean')
if which == 'b':
    run(base_cols, label='48 TEST', eval_test=True)
    run(base_cols, loss='squared_error', label='48 TEST', eval_test=True)
    run(base_cols, label='48 additive', interaction_cst='no_interactions')
    run(base_cols, label='48 additive TEST', interaction_cst='no_interactions', eval_test=True)
    run(base_cols, label='48 depth2', max_depth=2)
if which == 'c':
    # which single pair with readiness_value helps most (additive + one pair)
    idx = {c: i for i, c in enumerate(base_cols)}
    cands = sys.argv[3].split(',')
    for a in cands:
        for b in cands:
            if a < b:
                cst = [[idx[a], idx[b]]] + [[i] for c, i in idx.items() if c not in (a, b)]
                run(base_cols, label=f'pair {a} x {b}', interaction_cst=cst)
if which == 'd':
    idx = {c: i for i, c in enumerate(base_cols)}
    for hub in sys.argv[3].split(','):
        cst = [[idx[hub], i] for c, i in idx.items() if c != hub]
        run(base_cols, label=f'pairs with {hub}', interaction_cst=cst)
        run(base_cols, label=f'pairs with {hub} TEST', interaction_cst=cst, eval_test=True)
if which == 'e':
    import json
    bins = json.load(open('/tmp/q/bins.json'))
    for d in (tr, va, te):
        pass
    q = df.copy()
    for b in bins:
        k = np.floor((q[b['n']] - b['lo']) / (b['hi'] - b['lo']) * b['count']).clip(0, b['count'] - 1)
        q[b['n']] = k
    tr, va, te = (q[q.split == s] for s in ('fit','val','test'))
    run(base_cols, label='48 additive, our bins', interaction_cst='no_interactions')
    run(base_cols, label='48 full, our bins')
