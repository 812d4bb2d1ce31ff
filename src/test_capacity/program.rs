//! The testing plan as a [`LinearProgram`].
//!
//! Variables (all `>= 0`, tests and samples per week):
//! * `x[e][c]`: tests of demand entry `e` at its candidate site `c`;
//! * `u[e]` in `[0, tests]`: untested demand of entry `e`;
//! * `y[r]`: samples on sample route `r` (site → lab);
//! * `z[r]`: kits on kit route `r` (store → site).
//!
//! Rows:
//! * demand: `Σ_c x[e][c] + u[e] = tests[e]`;
//! * site capacity: `Σ x at site ≤ capacity per week` (both types share it);
//! * kits: `Σ x at (site, type) − Σ z into (site, type) ≤ kits on hand`;
//! * samples: `Σ x at (site, type) − Σ y out of (site, type) = 0` (every sample is
//!   analysed);
//! * lab capacity: `Σ y into (lab, type) ≤ analyses per week × pooling`;
//! * store stock: `Σ z out of (store, type) ≤ kits in store`.
//!
//! The objective is set per level by [`crate::test_capacity::lexicographic`].

use super::resolve::ResolvedTesting;
use crate::lp::{LinearProgram, Row, Var};

/// The program and where each variable and capacity row sits.
#[derive(Clone, Debug)]
pub struct TestingProgram {
    /// The linear program (costs all zero until a level sets them).
    pub lp: LinearProgram,
    /// Per entry, per candidate: tests.
    pub x: Vec<Vec<Var>>,
    /// Per entry: untested.
    pub unmet: Vec<Var>,
    /// Per sample route: samples.
    pub y: Vec<Var>,
    /// Per kit route: kits.
    pub z: Vec<Var>,
    /// Per site: the capacity row.
    pub site_rows: Vec<Row>,
    /// Per site and type: the kit row (if the site offers the type).
    pub kit_rows: Vec<[Option<Row>; 2]>,
    /// Per lab and type: the capacity row (if the lab analyses the type).
    pub lab_rows: Vec<[Option<Row>; 2]>,
    /// Per store and type: the stock row (if the store ships the type).
    pub store_rows: Vec<[Option<Row>; 2]>,
}

/// The terms of one row.
type Terms = Vec<(Var, f64)>;

/// The terms of the rows of one site, lab or store, per test type.
type PerType = [Terms; 2];

/// The terms of the capacity rows, gathered while the variables are made.
struct RowTerms {
    site: Vec<Terms>,
    kit: Vec<PerType>,
    sample: Vec<PerType>,
    lab: Vec<PerType>,
    store: Vec<PerType>,
}

impl RowTerms {
    fn new(sites: usize, labs: usize, stores: usize) -> Self {
        let per_type = |n: usize| vec![[Vec::new(), Vec::new()]; n];
        RowTerms {
            site: vec![Vec::new(); sites],
            kit: per_type(sites),
            sample: per_type(sites),
            lab: per_type(labs),
            store: per_type(stores),
        }
    }
}

/// Builds the program of a resolved scenario; `kits[s][t]` and `store_kits[k][t]` are
/// the kits on hand.
pub fn build_program(r: &ResolvedTesting, kits: &[[i64; 2]], store_kits: &[[i64; 2]]) -> TestingProgram {
    let mut lp = LinearProgram::new();
    let mut terms = RowTerms::new(r.site_capacity.len(), r.lab_capacity.len(), store_kits.len());
    let (x, unmet) = add_tests(&mut lp, r, &mut terms);
    let (y, z) = add_routes(&mut lp, r, &mut terms);
    let site_rows = terms
        .site
        .into_iter()
        .enumerate()
        .map(|(s, terms)| {
            lp.add_row(
                format!("site[{s}] capacity"),
                f64::NEG_INFINITY,
                r.site_capacity[s] as f64,
                terms,
            )
        })
        .collect();
    let kit_rows = typed_rows(&mut lp, terms.kit, |s, t, _| {
        let stock = kits.get(s).map_or(0, |k| k[t]) as f64;
        r.site_offers[s][t].then(|| (format!("site[{s}] kits {t}"), f64::NEG_INFINITY, stock))
    });
    typed_rows(&mut lp, terms.sample, |s, t, _| {
        r.site_offers[s][t].then(|| (format!("site[{s}] samples {t}"), 0.0, 0.0))
    });
    let lab_rows = typed_rows(&mut lp, terms.lab, |l, t, _| {
        let cap = r.lab_capacity[l][t];
        (cap > 0).then(|| (format!("lab[{l}] capacity {t}"), f64::NEG_INFINITY, cap as f64))
    });
    let store_rows = typed_rows(&mut lp, terms.store, |k, t, terms| {
        let stock = store_kits[k][t] as f64;
        (!terms.is_empty()).then(|| (format!("store[{k}] kits {t}"), f64::NEG_INFINITY, stock))
    });
    TestingProgram {
        lp,
        x,
        unmet,
        y,
        z,
        site_rows,
        kit_rows,
        lab_rows,
        store_rows,
    }
}

/// The tests and untested variables of every demand entry, and its demand row.
fn add_tests(lp: &mut LinearProgram, r: &ResolvedTesting, terms: &mut RowTerms) -> (Vec<Vec<Var>>, Vec<Var>) {
    let mut x = Vec::with_capacity(r.entries.len());
    let mut unmet = Vec::with_capacity(r.entries.len());
    for (e, entry) in r.entries.iter().enumerate() {
        let t = entry.test_type.index();
        let tests = entry.tests as f64;
        let vars: Vec<Var> = entry
            .candidates
            .iter()
            .map(|&(s, _)| {
                let v = lp.add_variable(format!("x[{e}][{s}]"), 0.0, tests, 0.0);
                terms.site[s].push((v, 1.0));
                terms.kit[s][t].push((v, 1.0));
                terms.sample[s][t].push((v, 1.0));
                v
            })
            .collect();
        let u = lp.add_variable(format!("unmet[{e}]"), 0.0, tests, 0.0);
        lp.add_row(
            format!("demand[{}]", entry.row),
            tests,
            tests,
            vars.iter().map(|&v| (v, 1.0)).chain([(u, 1.0)]),
        );
        x.push(vars);
        unmet.push(u);
    }
    (x, unmet)
}

/// The variables of the sample routes (site → lab) and the kit routes (store → site).
fn add_routes(lp: &mut LinearProgram, r: &ResolvedTesting, terms: &mut RowTerms) -> (Vec<Var>, Vec<Var>) {
    let y = r
        .sample_routes
        .iter()
        .enumerate()
        .map(|(i, route)| {
            let v = lp.add_variable(format!("samples[{i}]"), 0.0, f64::INFINITY, 0.0);
            terms.sample[route.from][route.test_type.index()].push((v, -1.0));
            terms.lab[route.to][route.test_type.index()].push((v, 1.0));
            v
        })
        .collect();
    let z = r
        .kit_routes
        .iter()
        .enumerate()
        .map(|(i, route)| {
            let v = lp.add_variable(format!("kits[{i}]"), 0.0, f64::INFINITY, 0.0);
            terms.kit[route.to][route.test_type.index()].push((v, -1.0));
            terms.store[route.from][route.test_type.index()].push((v, 1.0));
            v
        })
        .collect();
    (y, z)
}

/// One row per owner and test type where `row(owner, type, terms)` gives its name
/// and bounds (lower, upper), in owner then type order.
fn typed_rows(
    lp: &mut LinearProgram,
    terms: Vec<PerType>,
    row: impl Fn(usize, usize, &Terms) -> Option<(String, f64, f64)>,
) -> Vec<[Option<Row>; 2]> {
    terms
        .into_iter()
        .enumerate()
        .map(|(i, per_type)| {
            let mut rows = [None, None];
            for (t, terms) in per_type.into_iter().enumerate() {
                if let Some((name, lower, upper)) = row(i, t, &terms) {
                    rows[t] = Some(lp.add_row(name, lower, upper, terms));
                }
            }
            rows
        })
        .collect()
}
