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

/// Builds the program of a resolved scenario; `kits[s][t]` and `store_kits[k][t]` are
/// the kits on hand.
pub fn build_program(r: &ResolvedTesting, kits: &[[i64; 2]], store_kits: &[[i64; 2]]) -> TestingProgram {
    let sites = r.site_capacity.len();
    let labs = r.lab_capacity.len();
    let mut lp = LinearProgram::new();
    let mut site_terms: Vec<Vec<(Var, f64)>> = vec![Vec::new(); sites];
    let mut kit_terms: Vec<[Vec<(Var, f64)>; 2]> = vec![[Vec::new(), Vec::new()]; sites];
    let mut sample_terms: Vec<[Vec<(Var, f64)>; 2]> = vec![[Vec::new(), Vec::new()]; sites];
    let mut lab_terms: Vec<[Vec<(Var, f64)>; 2]> = vec![[Vec::new(), Vec::new()]; labs];
    let mut store_terms: Vec<[Vec<(Var, f64)>; 2]> = vec![[Vec::new(), Vec::new()]; store_kits.len()];
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
                site_terms[s].push((v, 1.0));
                kit_terms[s][t].push((v, 1.0));
                sample_terms[s][t].push((v, 1.0));
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
    let y: Vec<Var> = r
        .sample_routes
        .iter()
        .enumerate()
        .map(|(i, route)| {
            let v = lp.add_variable(format!("samples[{i}]"), 0.0, f64::INFINITY, 0.0);
            sample_terms[route.from][route.test_type.index()].push((v, -1.0));
            lab_terms[route.to][route.test_type.index()].push((v, 1.0));
            v
        })
        .collect();
    let z: Vec<Var> = r
        .kit_routes
        .iter()
        .enumerate()
        .map(|(i, route)| {
            let v = lp.add_variable(format!("kits[{i}]"), 0.0, f64::INFINITY, 0.0);
            kit_terms[route.to][route.test_type.index()].push((v, -1.0));
            store_terms[route.from][route.test_type.index()].push((v, 1.0));
            v
        })
        .collect();
    let site_rows = site_terms
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
    let mut kit_rows = vec![[None, None]; sites];
    for (s, per_type) in kit_terms.into_iter().enumerate() {
        for (t, terms) in per_type.into_iter().enumerate() {
            if r.site_offers[s][t] {
                let stock = kits.get(s).map_or(0, |k| k[t]) as f64;
                kit_rows[s][t] = Some(lp.add_row(format!("site[{s}] kits {t}"), f64::NEG_INFINITY, stock, terms));
            }
        }
    }
    for (s, per_type) in sample_terms.into_iter().enumerate() {
        for (t, terms) in per_type.into_iter().enumerate() {
            if r.site_offers[s][t] {
                lp.add_row(format!("site[{s}] samples {t}"), 0.0, 0.0, terms);
            }
        }
    }
    let mut lab_rows = vec![[None, None]; labs];
    for (l, per_type) in lab_terms.into_iter().enumerate() {
        for (t, terms) in per_type.into_iter().enumerate() {
            if r.lab_capacity[l][t] > 0 {
                let cap = r.lab_capacity[l][t] as f64;
                lab_rows[l][t] = Some(lp.add_row(format!("lab[{l}] capacity {t}"), f64::NEG_INFINITY, cap, terms));
            }
        }
    }
    let mut store_rows = vec![[None, None]; store_kits.len()];
    for (k, per_type) in store_terms.into_iter().enumerate() {
        for (t, terms) in per_type.into_iter().enumerate() {
            if !terms.is_empty() {
                let stock = store_kits[k][t] as f64;
                store_rows[k][t] = Some(lp.add_row(format!("store[{k}] kits {t}"), f64::NEG_INFINITY, stock, terms));
            }
        }
    }
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
