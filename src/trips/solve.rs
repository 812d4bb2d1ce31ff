//! Solving the trips MIP of one part level by level (HiGHS through good_lp; the
//! MIP path runs because the packs, trips and substitutes are integer columns).

use super::bound_first::{applies, bound_first, BoundFirst};
use super::consolidate::consolidate;
use super::cuts::{trip_cuts, TripCuts};
#[cfg(feature = "highs")]
use super::fixed_takes::polish;
use super::kept::{instead_of_error, kept_plan, no_worse};
use super::mip::{Level, Part};
use super::reference::{self, after_need_plan};
use super::result::{SolveStatus, StoppedBy};
use super::run::{run, Raw};
use crate::error::{Error, InvalidValue, Result};
use good_lp::{constraint, Constraint, Expression, Variable};

/// How the MIP is solved. [`MipOptions::validate`] checks the values (every round
/// with logistics data does, before it solves).
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct MipOptions {
    /// Time limit per level solve, seconds (a safety net behind
    /// [`MipOptions::max_lp_work`]: a plan stopped by the clock depends on the
    /// machine's speed), finite and at least [`MIN_TIME_LIMIT_S`]. A
    /// level stopped by it keeps its best plan, and the level's status says `limit`
    /// with the gap to the best proven bound; a level stopped before it has a plan of
    /// its own keeps the best plan offered to it (its start; see docs/trips.md).
    pub time_limit_s: f64,
    /// Most branch-and-bound nodes per level solve, at least 1 (the root): the
    /// deterministic limit (the same plan on every machine). A level stopped by it is
    /// reported like one stopped by the time limit.
    pub max_nodes: i32,
    /// Most LP work per level solve of the trips, vehicle km and transport levels and of
    /// a substitutes level after them (the need levels and a substitutes level right
    /// after them stop only at the node limit), at least 1:
    /// LP iterations of its branch and bound
    /// (root, cuts, heuristics and nodes, as HiGHS counts them) times the model's
    /// columns, so a level of 12 969 columns gets 1/9 of the iterations of one of 1 493
    /// (an iteration's cost grows with the LP). The deterministic work limit, meant to
    /// stop a long root or a few slow nodes before the clock does, the same way on
    /// every machine (HiGHS checks it between steps, so a level can run past it, and
    /// sub-MIP heuristics' iterations are not counted). A level stopped by it is
    /// reported like one stopped by the node limit.
    /// Default [`MAX_LP_WORK`]; without the `highs` feature it is not enforced.
    #[serde(default = "max_lp_work")]
    pub max_lp_work: i64,
    /// Most lanes that carry trips in a part whose levels after the trips level (vehicle
    /// km, transport, and substitutes when ranked after trips) get a full branch and
    /// bound; a larger part searches them with the trips per lane held at the level
    /// before's plan (status `limit` with the gap unless the held search
    /// reaches the LP bound). Default [`FULL_SEARCH_LANES`].
    #[serde(default = "full_search_lanes")]
    pub full_search_lanes: usize,
    /// Add the trips cuts (item covers of the sites that must receive, see
    /// `docs/trips.md`) to the branch and bound of the trips, vehicle km and transport
    /// levels, not only to the LP bounds behind their gaps. They are implied by the fixed levels, so no optimum changes, but the
    /// search under the node limit goes another way. Default false.
    #[serde(default)]
    pub trip_cuts_in_search: bool,
}

/// The default of [`MipOptions::max_lp_work`] (LP iterations × columns): 40 million,
/// above the 33.3 million of Västmanland's trips level (22 336 iterations × 1 493
/// columns, the most of its levels), so its plan is the one solved to the end, while
/// the 21 counties' largest levels stop within seconds instead of at the clock.
pub const MAX_LP_WORK: i64 = 40_000_000;

/// The default of [`MipOptions::full_search_lanes`].
pub const FULL_SEARCH_LANES: usize = 24;

/// The smallest [`MipOptions::time_limit_s`], seconds. HiGHS takes any time limit
/// `>= 0`, but one below a millisecond stops every solve before its first step (its
/// clock is read between steps), so the round could only fail.
pub const MIN_TIME_LIMIT_S: f64 = 0.001;

impl MipOptions {
    /// Checks every option; the problems are an [`Error::Invalid`] with the paths
    /// `mip.time_limit_s`, `mip.max_nodes` and `mip.max_lp_work`.
    ///
    /// ```
    /// use allocnet::trips::MipOptions;
    /// assert!(MipOptions::default().validate().is_ok());
    /// let bad = MipOptions { time_limit_s: 1e-300, max_nodes: 0, ..MipOptions::default() };
    /// let err = bad.validate().unwrap_err().to_string();
    /// assert!(err.contains("mip.time_limit_s: must be a finite number of seconds >= 0.001, got 1e-300"), "{err}");
    /// assert!(err.contains("mip.max_nodes: must be >= 1 (the root node), got 0"), "{err}");
    /// let bad = MipOptions { max_lp_work: 0, ..MipOptions::default() };
    /// let err = bad.validate().unwrap_err().to_string();
    /// assert!(err.contains("mip.max_lp_work: must be >= 1, got 0"), "{err}");
    /// ```
    pub fn validate(&self) -> Result<()> {
        self.validate_named(["mip.time_limit_s", "mip.max_nodes", "mip.max_lp_work"])
    }

    /// [`MipOptions::validate`] naming the time limit, node limit and LP work limit
    /// as `names` (as the caller's user spelled them: `--time-limit`, `--max-nodes`,
    /// `--max-lp-work` on the command line, the keywords in Python).
    ///
    /// ```
    /// use allocnet::trips::MipOptions;
    /// let bad = MipOptions { max_lp_work: -1, ..MipOptions::default() };
    /// let err = bad.validate_named(["--time-limit", "--max-nodes", "--max-lp-work"]).unwrap_err();
    /// assert!(err.to_string().contains("--max-lp-work: must be >= 1, got -1"), "{err}");
    /// ```
    pub fn validate_named(&self, names: [&str; 3]) -> Result<()> {
        let [time_limit, max_nodes, max_lp_work] = names;
        let problems: Vec<InvalidValue> = [
            time_limit_problem(self.time_limit_s, time_limit),
            (self.max_nodes < 1).then(|| {
                InvalidValue::new(
                    max_nodes,
                    format!("must be >= 1 (the root node), got {}", self.max_nodes),
                )
            }),
            (self.max_lp_work < 1)
                .then(|| InvalidValue::new(max_lp_work, format!("must be >= 1, got {}", self.max_lp_work))),
        ]
        .into_iter()
        .flatten()
        .collect();
        if problems.is_empty() {
            Ok(())
        } else {
            Err(Error::Invalid(problems))
        }
    }
}

fn time_limit_problem(seconds: f64, field: &str) -> Option<InvalidValue> {
    (!(seconds.is_finite() && seconds >= MIN_TIME_LIMIT_S)).then(|| {
        InvalidValue::new(
            field,
            format!(
                "must be a finite number of seconds >= {MIN_TIME_LIMIT_S}, got {}",
                crate::limits::compact(seconds)
            ),
        )
    })
}

fn max_lp_work() -> i64 {
    MAX_LP_WORK
}

fn full_search_lanes() -> usize {
    FULL_SEARCH_LANES
}

impl Default for MipOptions {
    fn default() -> Self {
        Self {
            time_limit_s: 300.0,
            max_nodes: 50,
            max_lp_work: MAX_LP_WORK,
            full_search_lanes: FULL_SEARCH_LANES,
            trip_cuts_in_search: false,
        }
    }
}

/// One level's outcome.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct LevelOutcome {
    pub level: Level,
    /// The level's value in the final plan (met units for need levels).
    pub value: f64,
    pub status: SolveStatus,
    pub gap: f64,
    /// What stopped the level when `status` is `limit`.
    pub stop: Option<StoppedBy>,
}

impl LevelOutcome {
    /// A level proven optimal at `value`.
    pub(crate) fn optimal(level: Level, value: f64) -> Self {
        Self::searched(level, value, 0.0, None)
    }

    /// A level searched to `value`: `limit` with `gap` when `stop` says what stopped
    /// it short of a proof, else optimal.
    pub(crate) fn searched(level: Level, value: f64, gap: f64, stop: Option<StoppedBy>) -> Self {
        let status = if stop.is_some() {
            SolveStatus::Limit
        } else {
            SolveStatus::Optimal
        };
        LevelOutcome {
            level,
            value,
            status,
            gap,
            stop,
        }
    }

    /// A minimised level's outcome at a lower `value` of a later plan, its gap taken
    /// to the same (whole-number) bound; proven optimal when `value` reaches it.
    fn lowered_to(self, value: f64) -> Self {
        let bound = (self.value - self.gap * self.value.abs().max(1.0)).round();
        let gap = ((value - bound) / value.abs().max(1.0)).max(0.0);
        let stop = if gap == 0.0 { None } else { self.stop };
        Self::searched(self.level, value, gap, stop)
    }
}

/// The integer decisions of one part.
pub(crate) struct PartSolution {
    /// `(item, local lane, packs)` with packs > 0.
    pub x: Vec<(usize, usize, i64)>,
    /// `(local lane, trips)` with trips > 0.
    pub y: Vec<(usize, i64)>,
    /// `(rule, local site, level, units)` with units > 0.
    pub s: Vec<(usize, usize, usize, i64)>,
    pub levels: Vec<LevelOutcome>,
}

/// Tolerance of the fixed levels and of integrality.
const TOL: f64 = 1e-6;

/// The rows that hold every level of `fixed` at its value.
pub(super) fn fixed_rows(part: &Part<'_>, vars: &super::mip::Vars, fixed: &[LevelOutcome]) -> Vec<Constraint> {
    fixed
        .iter()
        .map(|f| {
            let (e, maximise) = part.objective(vars, f.level);
            if maximise {
                constraint::geq(e, f.value - TOL)
            } else {
                constraint::leq(e, f.value + TOL)
            }
        })
        .collect()
}

/// Solves `part` level by level, each optimum fixed before the next. Under a
/// `substitutes_rank` whose order differs from `after_need`'s, the part is solved
/// under `after_need` first and that plan is offered to every level
/// ([`super::reference`]): the plan is then lexicographically no worse than
/// `after_need`'s in the configured order.
pub(crate) fn solve_part(part: &Part<'_>, options: &MipOptions) -> Result<PartSolution> {
    let reference = after_need_plan(part, options)?;
    let (vars, values, fixed) = solve_levels(part, options, reference.as_deref())?;
    whole_plan(&vars, &values, fixed)
}

/// Solves `part` level by level: the last level's columns (one value per column of
/// `vars.all`) and every level's outcome. `reference` (a plan of the same columns) is
/// offered to each level whose rows it keeps, as a start and as the plan kept when
/// the level's search ends worse ([`super::reference`]).
pub(super) fn solve_levels(
    part: &Part<'_>,
    options: &MipOptions,
    reference: Option<&[f64]>,
) -> Result<(super::mip::Vars, Vec<f64>, Vec<LevelOutcome>)> {
    let mut fixed: Vec<LevelOutcome> = Vec::new();
    let levels = part.levels();
    let mut start = acute_start(part, &levels, options)?;
    let mut last = None;
    let mut cuts: Option<TripCuts> = None;
    for &level in &levels {
        let level_options = for_level(options, &levels, level);
        let past_trips = after_trips(&levels, level);
        if level == Level::Trips && options.trip_cuts_in_search {
            cuts = Some(traced_cuts(part, &fixed)?);
        }
        let (pv, vars, mut rows) = part.build(true)?;
        rows.extend(fixed_rows(part, &vars, &fixed));
        if options.trip_cuts_in_search {
            rows.extend(cuts.iter().flat_map(|c| c.rows(part, &vars)));
        }
        let (objective, maximise) = part.objective(&vars, level);
        if level == Level::Trips {
            if let Some(better) = trips_start(part, &vars, &rows, start.as_deref())? {
                start = Some(better);
            }
        }
        let offered = reference::at_level(reference, &vars, &rows);
        start = reference::better_start(offered, &vars, &objective, maximise, start);
        if let Some(value) = attained(part, &vars, level, &objective, start.as_deref())? {
            // The previous level's plan already reaches this level's bound: optimal.
            fixed.push(LevelOutcome::optimal(level, value));
            last = Some((vars, start.clone().unwrap_or_default()));
            continue;
        }
        if applies(level) {
            match bound_first(part, &fixed, level, start.take(), &level_options)? {
                BoundFirst::Optimal { values, value } => {
                    fixed.push(LevelOutcome::optimal(level, value));
                    start = Some(values.clone());
                    last = Some((vars, values));
                    continue;
                }
                BoundFirst::Start(better) => start = better,
            }
        }
        let restricted = past_trips && restricted_search(&vars, start.as_deref(), options);
        let check = matches!(level, Level::Trips | Level::VehicleKm).then(|| rows.clone());
        if let Some(start) = start.as_deref().filter(|_| restricted) {
            rows.extend(trips_held(&vars, start));
        }
        let kept = kept_plan(&[start.as_deref(), offered], &vars, &rows, &objective, maximise);
        let clock = std::time::Instant::now();
        let raw = run(
            pv,
            &vars.all,
            objective.clone(),
            maximise,
            rows,
            start.as_deref(),
            &level_options,
        );
        let raw = instead_of_error(raw, kept.as_deref(), &vars, &objective).map_err(at_level(part, level))?;
        trace(part, level, clock, &vars, &raw);
        let raw = no_worse(raw, kept.as_deref(), &vars, &objective, maximise);
        let raw = match check.as_deref() {
            Some(rows) if raw.status == SolveStatus::Limit || restricted => {
                polished(part, &vars, rows, raw, level, &objective, &level_options)?
            }
            _ => raw,
        };
        at_later_plan(part, &vars, &mut fixed, &raw.values);
        let gap = if raw.status == SolveStatus::Limit || restricted {
            if cuts.is_none() && (past_trips || matches!(level, Level::Trips | Level::Transport)) {
                cuts = Some(traced_cuts(part, &fixed)?);
            }
            // HiGHS's dual bound holds for this level only when the trips were not held.
            let solver_bound = raw.bound.filter(|_| !restricted);
            relaxation_gap(part, &fixed, cuts.as_ref(), level, raw.objective, solver_bound, options)?
        } else {
            0.0
        };
        // A value at the (whole-number) bound is proven optimal, whatever stopped the search.
        let stop = if gap == 0.0 {
            None
        } else if restricted {
            Some(StoppedBy::HeldTrips)
        } else {
            raw.stop.or(Some(StoppedBy::Solver))
        };
        fixed.push(LevelOutcome::searched(
            level,
            settle(raw.objective, maximise),
            gap,
            stop,
        ));
        start = Some(raw.values.clone());
        last = Some((vars, raw.values));
    }
    let Some((vars, values)) = last else {
        return Err(Error::Internal("trips MIP without levels".into()));
    };
    Ok((vars, values, fixed))
}

/// The part's integer decisions at the last level's columns `values` (in the order
/// of `vars.all`), with the level outcomes `levels`; a column that is not a whole
/// number >= 0 (beyond the solver's tolerances) is an [`Error::Solver`].
fn whole_plan(vars: &super::mip::Vars, values: &[f64], levels: Vec<LevelOutcome>) -> Result<PartSolution> {
    let int = |v: f64, what: &str| -> Result<i64> {
        let r = v.round();
        if (v - r).abs() > TOL * 1e3 || r < 0.0 {
            return Err(Error::Solver(format!(
                "trips MIP: {what} = {v} is not a whole number >= 0"
            )));
        }
        Ok(r as i64)
    };
    let index: std::collections::HashMap<Variable, usize> = vars.all.iter().enumerate().map(|(k, &v)| (v, k)).collect();
    let value = |v: &Variable| values[index[v]];
    let mut out = PartSolution {
        x: Vec::new(),
        y: Vec::new(),
        s: Vec::new(),
        levels,
    };
    for &(i, l, x) in &vars.x {
        let q = int(value(&x), "packs")?;
        if q > 0 {
            out.x.push((i, l, q));
        }
    }
    for (l, y) in vars.y.iter().enumerate() {
        if let Some(y) = y {
            let t = int(value(y), "trips")?;
            if t > 0 {
                out.y.push((l, t));
            }
        }
    }
    for &(r, v, k, s) in &vars.s {
        let q = int(value(&s), "substitute units")?;
        if q > 0 {
            out.s.push((r, v, k, q));
        }
    }
    Ok(out)
}

/// The options of `level`'s solves (`levels`: the part's levels in solve order): the
/// LP work limit ([`MipOptions::max_lp_work`]) holds from the first of the trips,
/// vehicle km and transport levels on; the need levels, and the substitutes level when
/// it comes right after them, stop only at the node limit (or the clock). On the 21
/// counties the work limit left county 14's planning level 9 units of need short of
/// its optimum, to save seconds.
fn for_level(options: &MipOptions, levels: &[Level], level: Level) -> MipOptions {
    let first_cost = levels
        .iter()
        .position(|l| matches!(l, Level::Trips | Level::VehicleKm | Level::Transport));
    let at = levels.iter().position(|&l| l == level);
    match (first_cost, at) {
        (Some(first), Some(at)) if at >= first => *options,
        _ => unlimited(options),
    }
}

/// `options` without the LP work limit.
fn unlimited(options: &MipOptions) -> MipOptions {
    MipOptions {
        max_lp_work: i64::MAX,
        ..*options
    }
}

/// True when `level` comes after the trips level in `levels` (vehicle km, transport,
/// and the substitutes level when ranked after trips): the levels a large part
/// searches with the trips held ([`restricted_search`]).
fn after_trips(levels: &[Level], level: Level) -> bool {
    let trips = levels.iter().position(|&l| l == Level::Trips);
    let at = levels.iter().position(|&l| l == level);
    matches!((trips, at), (Some(t), Some(a)) if a > t)
}

/// True when a level after the trips level ([`after_trips`]) is searched with the
/// trips per lane held at the previous level's plan: in a part with more than
/// [`FULL_SEARCH_LANES`] lanes that carry trips. Branch and bound over the trips of such
/// a part stops at the node limit without closing the gap (the LP bound of a fixed
/// charge per lane is weak), while the held search is a small MIP solved in a fraction
/// of a second and found a better transport value on Västmanland. A held level's status
/// is `limit` with the gap to the LP bound of the level without the hold, unless it
/// reaches that bound.
fn restricted_search(vars: &super::mip::Vars, start: Option<&[f64]>, options: &MipOptions) -> bool {
    start.is_some() && vars.y.iter().flatten().count() > options.full_search_lanes
}

/// Rows holding every trips variable at its value in `start`.
fn trips_held(vars: &super::mip::Vars, start: &[f64]) -> Vec<Constraint> {
    vars.all
        .iter()
        .zip(start)
        .filter(|(v, _)| vars.y.contains(&Some(**v)))
        .map(|(&v, &value)| constraint::eq(Expression::from(v), value.round()))
        .collect()
}

/// A first plan that meets as much acute need as it can, all classes counted alike
/// (one solve). Every acute level whose need it meets in full, from the highest class
/// down, is then optimal without a solve of its own (see [`attained`]); the first
/// level it does not meet starts from it.
fn acute_start(part: &Part<'_>, levels: &[Level], options: &MipOptions) -> Result<Option<Vec<f64>>> {
    let acute: Vec<Level> = levels
        .iter()
        .copied()
        .filter(|l| matches!(l, Level::Acute(_)))
        .collect();
    if acute.len() < 2 {
        return Ok(None);
    }
    let (pv, vars, rows) = part.build(true)?;
    let mut objective = Expression::from(0.0);
    for &level in &acute {
        objective += part.objective(&vars, level).0;
    }
    // Nothing is offered: the kept plan is the empty one (see [`super::kept`]).
    let kept = kept_plan(&[], &vars, &rows, &objective, true);
    let clock = std::time::Instant::now();
    let raw = run(pv, &vars.all, objective.clone(), true, rows, None, &unlimited(options));
    let raw = instead_of_error(raw, kept.as_deref(), &vars, &objective).map_err(at_level(part, acute[0]))?;
    trace(part, acute[0], clock, &vars, &raw);
    Ok(Some(raw.values))
}

/// The county of a part's first site (`?` for a part without sites).
fn county_of<'a>(part: &'a Part<'a>) -> &'a str {
    part.sites
        .first()
        .map_or("?", |&s| part.resolved.scenario.sites[s].county.as_str())
}

/// A solver error of `level`'s solve with the part's county and the level named
/// (`trips MIP, county 19, level acute:covid: the time limit ... was reached ...`).
fn at_level<'a>(part: &'a Part<'a>, level: Level) -> impl FnOnce(Error) -> Error + 'a {
    move |err| match err {
        Error::Solver(message) => {
            let county = county_of(part);
            let what = message.strip_prefix("trips MIP: ").unwrap_or(&message);
            Error::Solver(format!(
                "trips MIP, county {county}, level {}: {what}",
                level.name(part.resolved)
            ))
        }
        other => other,
    }
}

/// The trips level's start from [`consolidate`] (the previous level's plan with its
/// packs gathered onto few lanes), when it has fewer trips than `start` and keeps
/// every row of the level's model (`rows`); timed under `ALLOCNET_TRIPS_TRACE`.
fn trips_start(
    part: &Part<'_>,
    vars: &super::mip::Vars,
    rows: &[Constraint],
    start: Option<&[f64]>,
) -> Result<Option<Vec<f64>>> {
    let Some(start) = start else { return Ok(None) };
    let clock = std::time::Instant::now();
    let found = consolidate(part, vars, rows, start)?;
    if std::env::var_os("ALLOCNET_TRIPS_TRACE").is_some() {
        let what = match &found {
            Some(c) => format!("{} trips from {} after {} rounds", c.value, c.before, c.rounds),
            None => "none better than the start".to_string(),
        };
        eprintln!(
            "trips MIP: county {}, trips start by slope scaling: {what} ({:.3} s)",
            county_of(part),
            clock.elapsed().as_secs_f64()
        );
    }
    Ok(found.map(|c| c.values))
}

/// Each minimised level of `fixed` lowered to its value at `values` (a later level's
/// plan, one value per column of `vars.all`) where that plan does better than the
/// level's own search (the vehicle km polish may find fewer trips; a transport search
/// fewer vehicle km than a vehicle km level stopped by a limit), so that every level
/// says what the final plan does. The later levels then hold the lowered values.
fn at_later_plan(part: &Part<'_>, vars: &super::mip::Vars, fixed: &mut [LevelOutcome], values: &[f64]) {
    for outcome in fixed.iter_mut() {
        let (objective, maximise) = part.objective(vars, outcome.level);
        if maximise {
            continue;
        }
        let value = settle(super::mip::value_at(&objective, &vars.all, values), false);
        if value < outcome.value {
            if std::env::var_os("ALLOCNET_TRIPS_TRACE").is_some() {
                eprintln!(
                    "trips MIP: county {}, {} level lowered from {} to {value} by a later level's plan",
                    county_of(part),
                    outcome.level.name(part.resolved),
                    outcome.value
                );
            }
            *outcome = outcome.lowered_to(value);
        }
    }
}

/// `raw`, the search of a trips or vehicle km level stopped by a limit (or held at
/// the trips of the level before), with its plan polished at fixed takes ([`polish`])
/// when that lowers the level's value and keeps every row of `rows` (the level's model
/// without the hold); timed under `ALLOCNET_TRIPS_TRACE`. Without HiGHS: `raw`.
fn polished(
    part: &Part<'_>,
    vars: &super::mip::Vars,
    rows: &[Constraint],
    raw: Raw,
    level: Level,
    objective: &Expression,
    options: &MipOptions,
) -> Result<Raw> {
    #[cfg(feature = "highs")]
    {
        let clock = std::time::Instant::now();
        let found = polish(part, vars, rows, &raw.values, level, options)?;
        if std::env::var_os("ALLOCNET_TRIPS_TRACE").is_some() {
            let what = match &found {
                Some(c) => format!("{} from {}", c.value, c.before),
                None => "none better".to_string(),
            };
            eprintln!(
                "trips MIP: county {}, {} level polished at fixed takes: {what} ({:.3} s)",
                county_of(part),
                level.name(part.resolved),
                clock.elapsed().as_secs_f64()
            );
        }
        if let Some(c) = found {
            let value = super::mip::value_at(objective, &vars.all, &c.values);
            return Ok(Raw {
                values: c.values,
                objective: value,
                ..raw
            });
        }
    }
    #[cfg(not(feature = "highs"))]
    let _ = (part, vars, rows, level, objective, options);
    Ok(raw)
}

/// [`trip_cuts`] with the levels of `fixed` held (valid for every level after them),
/// timed under `ALLOCNET_TRIPS_TRACE`.
fn traced_cuts(part: &Part<'_>, fixed: &[LevelOutcome]) -> Result<TripCuts> {
    let clock = std::time::Instant::now();
    let cuts = trip_cuts(part, fixed)?;
    if std::env::var_os("ALLOCNET_TRIPS_TRACE").is_some() {
        eprintln!(
            "trips MIP: trips cuts ({} item covers): {:.3} s",
            cuts.receive.len(),
            clock.elapsed().as_secs_f64()
        );
    }
    Ok(cuts)
}

fn trace(part: &Part<'_>, level: Level, clock: std::time::Instant, vars: &super::mip::Vars, raw: &Raw) {
    if std::env::var_os("ALLOCNET_TRIPS_TRACE").is_some() {
        eprintln!(
            "trips MIP: county {}, part of {} sites, level {level:?}: {:.3} s, {} columns, {} LP iterations, {:?}",
            county_of(part),
            part.sites.len(),
            clock.elapsed().as_secs_f64(),
            vars.all.len(),
            raw.lp_iterations,
            raw.status
        );
    }
}

/// A level's value as the whole number it is. Every level is a whole number at an
/// integer plan (met units fill levels of whole capacities from whole units; trips,
/// km ×10 and unit·km ×10 have whole coefficients on integer columns), but the
/// solver's value carries its tolerances (1e-6 per column): fixed as it is, a value
/// such as 2e-6 met units would bind the next level to a plan that only exists within
/// the tolerances. Near a whole number it is that number; otherwise (a fractional
/// continuous column in a stopped search) it is rounded towards what stays feasible.
pub(super) fn settle(value: f64, maximise: bool) -> f64 {
    let nearest = value.round();
    if (value - nearest).abs() <= 1e-3 {
        nearest
    } else if maximise {
        value.floor()
    } else {
        value.ceil()
    }
}

/// The relative gap between `value` and the tighter of the LP relaxation's bound of
/// `level` (with the levels before it fixed, and the trips cuts when given) and the
/// solver's own bound of the level's search (`solver_bound`, HiGHS's dual bound): an
/// upper bound on the true gap.
fn relaxation_gap(
    part: &Part<'_>,
    fixed: &[LevelOutcome],
    cuts: Option<&TripCuts>,
    level: Level,
    value: f64,
    solver_bound: Option<f64>,
    options: &MipOptions,
) -> Result<f64> {
    let (pv, vars, mut rows) = part.build(false)?;
    rows.extend(fixed_rows(part, &vars, fixed));
    if let Some(c) = cuts {
        rows.extend(c.rows(part, &vars));
    }
    let (objective, maximise) = part.objective(&vars, level);
    // A relaxation stopped by a limit (with or without a plan) is no bound: the
    // level's own (all its need met, or 0 for a level minimised) is.
    let lp = match run(pv, &vars.all, objective, maximise, rows, None, options) {
        Ok(relaxation) if relaxation.status == SolveStatus::Optimal => relaxation.objective,
        Ok(_) | Err(Error::Solver(_)) => own_bound(part, &vars, level)?,
        Err(other) => return Err(other),
    };
    let bound = match solver_bound {
        Some(b) if maximise => lp.min(b),
        Some(b) => lp.max(b),
        None => lp,
    };
    // Every level is a whole number at every integer plan (see [`settle`]): a bound
    // on a level minimised rounds up, one on met units (maximised) rounds down. The gap
    // is then exactly 0 when the value reaches the bound.
    let bound = whole_bound(bound, maximise);
    let value = settle(value, maximise);
    Ok((bound - value).abs() / value.abs().max(1.0))
}

/// A bound on a level as the whole number every integer plan respects (every level is
/// a whole number there, see [`settle`]): down for met units (maximised), up for the
/// levels minimised, with the solver's tolerance [`TOL`] on the bound.
pub(super) fn whole_bound(bound: f64, maximise: bool) -> f64 {
    if maximise {
        (bound + TOL).floor()
    } else {
        (bound - TOL).ceil()
    }
}

/// The value of `level` at `start` when it reaches the level's bound there (all need of
/// the level met; or 0 for a level minimised), else `None`. Such a level is optimal
/// without a solve.
fn attained(
    part: &Part<'_>,
    vars: &super::mip::Vars,
    level: Level,
    objective: &Expression,
    start: Option<&[f64]>,
) -> Result<Option<f64>> {
    let Some(start) = start else { return Ok(None) };
    let value = objective.eval_with(&super::mip::values_at(&vars.all, start));
    let bound = own_bound(part, vars, level)?;
    Ok(((value - bound).abs() <= TOL).then_some(bound))
}

/// The bound every plan respects: all the level's need met (need levels, maximised),
/// or 0 (the levels minimised).
pub(super) fn own_bound(part: &Part<'_>, vars: &super::mip::Vars, level: Level) -> Result<f64> {
    match level {
        Level::Acute(c) => need_of_level(part, vars, c),
        Level::Planning => need_of_level(part, vars, part.resolved.classes.len()),
        _ => Ok(0.0),
    }
}

/// Total need of level `l` in the part (units).
fn need_of_level(part: &Part<'_>, vars: &super::mip::Vars, l: usize) -> Result<f64> {
    let mut total = 0.0;
    for &(i, v, level, _) in &vars.m {
        if level == l {
            total += part.caps(i, v)?[l] as f64;
        }
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A trips level stopped at 94 trips with a gap of 0.5 (its bound 47) lowered to 93
    /// keeps its stop and bound; lowered to the bound it is proven optimal.
    #[test]
    fn a_lowered_level_keeps_its_bound() {
        let at_94 = LevelOutcome::searched(Level::Trips, 94.0, 0.5, Some(StoppedBy::LpWorkLimit));
        let at_93 = at_94.lowered_to(93.0);
        assert_eq!(at_93.value, 93.0);
        assert_eq!(at_93.gap, 46.0 / 93.0);
        assert_eq!(at_93.status, SolveStatus::Limit);
        assert_eq!(at_93.stop, Some(StoppedBy::LpWorkLimit));
        assert_eq!(at_94.lowered_to(47.0), LevelOutcome::optimal(Level::Trips, 47.0));
    }
}
