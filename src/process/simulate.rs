//! The weekly process, day by day: consumption, normal-channel deliveries, weekly
//! status reports, county meetings, the national decision and its delivery.
//!
//! Each simulated day `d` (day 0 is a Monday) runs, in this order:
//!
//! 1. **Arrivals**: normal-channel deliveries due on day `d` (the scenario's expected
//!    deliveries, at `floor(day)`, repeated every 7 days when
//!    [`SimulationOptions::repeat_deliveries_weekly`]); national goods whose last mile
//!    ends on day `d`.
//! 2. **Status report** (on [`SimulationOptions::status_weekday`]): every site reports
//!    its consumption per day (the rate of that day); meetings use the latest report.
//! 3. **Meeting** (on [`SimulationOptions::meeting_weekdays`]): the county round on the
//!    current stock, the reported consumption and the expected arrivals (normal and
//!    national); its shipments move the same day. With redistribution off the round
//!    runs without lanes (it only computes the requests). Then the national round on
//!    the counties' requests and the national stock: the goods leave the warehouse the
//!    same day, reach the county's transshipment point after
//!    [`SimulationOptions::national_lead_days`] and the sites after a further
//!    [`SimulationOptions::last_mile_lead_days`].
//! 4. **Consumption**: each site consumes its rate of the day (the scenario's rate ×
//!    the epidemic wave, see [`Wave`]); fractions accumulate to whole units. What the
//!    stock cannot cover is a **shortage** (realised unmet acute need), borne by the
//!    lowest priority classes first.
//!
//! Stock conservation per site and item and day: `end = start + normal_in + national_in
//! + county_in − county_out − consumed`.

use super::county_round::{run_county_round, RoundOptions};
use super::national_round::{
    default_depots, run_national_round, CountyDepot, ItemQuantity, NationalPlan, NationalRound, Policy, Warehouse,
};
use super::plan::Plan;
use crate::error::{Error, Result};
use crate::limits::{check_memory, compact};
use crate::lookahead::rolling::{forecast_noise, lookahead_meeting, RoundMode};
use crate::model::{split_by_weights, Delivery, Scenario, Site, SiteKind, KM_SCALE};
use crate::rng::SplitMix64;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// The synthetic epidemic wave: consumption multiplier
/// `1 + amplitude · a_s · exp(−½ ((d − peak_day − shift_s) / width_days)²)` on day `d`,
/// with a per-site amplitude factor `a_s` in [0.7, 1.3] and a shift `shift_s` in
/// [−7, 7] days, both drawn from `seed` (SplitMix64), so the wave reaches the counties
/// at different times. `amplitude = 0` gives constant consumption.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Wave {
    /// Extra consumption at the peak, as a fraction of the base rate (default 1.0 = the
    /// rate doubles), >= 0.
    pub amplitude: f64,
    /// Day of the peak (default 14).
    pub peak_day: f64,
    /// Width (standard deviation) in days (default 7), > 0.
    pub width_days: f64,
    /// Seed of the per-site variation (default 2020).
    pub seed: u64,
}

impl Default for Wave {
    fn default() -> Self {
        Self {
            amplitude: 1.0,
            peak_day: 14.0,
            width_days: 7.0,
            seed: 2020,
        }
    }
}

impl Wave {
    /// No wave: constant consumption.
    pub fn flat() -> Wave {
        Wave {
            amplitude: 0.0,
            ..Wave::default()
        }
    }

    /// The per-site (amplitude factor, shift in days) drawn from the seed.
    fn site_variation(&self, site: usize) -> (f64, f64) {
        let mut rng = SplitMix64::stream(self.seed, site as u64 + 1, 0);
        let factor = 0.7 + 0.6 * rng.unit();
        let shift = -7.0 + 14.0 * rng.unit();
        (factor, shift)
    }

    /// The multiplier on day `day` for a site with the given variation.
    fn multiplier(&self, day: u32, (factor, shift): (f64, f64)) -> f64 {
        let z = (f64::from(day) - self.peak_day - shift) / self.width_days;
        1.0 + self.amplitude * factor * (-0.5 * z * z).exp()
    }
}

/// Parameters of a simulation. Every field has a documented default.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SimulationOptions {
    /// Number of weeks (default 1), >= 1.
    pub weeks: u32,
    /// Weekdays of the county meetings, 0 = Monday … 6 = Sunday (default Mon, Wed, Fri).
    pub meeting_weekdays: Vec<u8>,
    /// Weekday of the weekly status report (default 0 = Monday).
    pub status_weekday: u8,
    /// Acute window in hours (default 48).
    pub acute_window_hours: f64,
    /// Reserve a donor keeps, days of its own consumption (default 3).
    pub reserve_days: f64,
    /// National allocation policy (default optimal).
    pub policy: Policy,
    /// Days from the national decision to the county's transshipment point (default 1).
    pub national_lead_days: u32,
    /// Days from the transshipment point to the site (default 0: the same day).
    pub last_mile_lead_days: u32,
    /// County redistribution at the meetings (default true).
    pub county_redistribution: bool,
    /// Repeat each expected normal-channel delivery every 7 days (default true).
    pub repeat_deliveries_weekly: bool,
    /// Engine and strategy of the county round.
    pub round: RoundOptions,
    /// The consumption profile.
    pub wave: Wave,
    /// National warehouses and their stock at day 0. Default (`None`):
    /// [`default_warehouses`] with [`SimulationOptions::national_stock_days`].
    pub warehouses: Option<Vec<Warehouse>>,
    /// Days of the whole scenario's base consumption held nationally, for the default
    /// warehouses (default 2), >= 0.
    pub national_stock_days: f64,
    /// **Synthetic** regular normal-channel supply: every site receives this many days of
    /// its base consumption once a week, on weekday `site index mod 5` (Mon–Fri), in
    /// addition to the scenario's expected deliveries (default 5: below the 7 days a
    /// week consumes, so supply stays scarce), >= 0.
    pub weekly_supply_days: f64,
    /// The county round at the meetings: `myopic` (today's round, default) or
    /// `lookahead` (a rolling horizon, see [`crate::lookahead::rolling`]).
    pub round_mode: RoundMode,
    /// Days the lookahead round plans (default 7), 1..=366.
    pub lookahead_days: u32,
    /// Forecast error: realised consumption = the wave's rate × `max(0, 1 + error·z)`,
    /// `z` standard normal drawn from `forecast_seed`, per site, item and day, while
    /// the meetings plan with the reported rate (default 0: no error), >= 0.
    pub forecast_error: f64,
    /// Seed of the forecast error (default 2020).
    pub forecast_seed: u64,
}

impl Default for SimulationOptions {
    fn default() -> Self {
        Self {
            weeks: 1,
            meeting_weekdays: vec![0, 2, 4],
            status_weekday: 0,
            acute_window_hours: 48.0,
            reserve_days: 3.0,
            policy: Policy::Optimal,
            national_lead_days: 1,
            last_mile_lead_days: 0,
            county_redistribution: true,
            repeat_deliveries_weekly: true,
            round: RoundOptions::default(),
            wave: Wave::default(),
            warehouses: None,
            national_stock_days: 2.0,
            weekly_supply_days: 5.0,
            round_mode: RoundMode::Myopic,
            lookahead_days: 7,
            forecast_error: 0.0,
            forecast_seed: 2020,
        }
    }
}

/// The default national warehouses (**synthetic**, assumed locations): Stockholm
/// (Kungsängen, 59.48 N 17.75 E) with 60 % and Gothenburg (57.71 N 11.97 E) with 40 %
/// of `days` × the scenario's total base consumption of each item (rounded down).
pub fn default_warehouses(scenario: &Scenario, days: f64) -> Vec<Warehouse> {
    let mut per_item: Vec<f64> = vec![0.0; scenario.items.len()];
    let index: HashMap<&str, usize> = scenario
        .items
        .iter()
        .enumerate()
        .map(|(i, it)| (it.id.as_str(), i))
        .collect();
    for st in &scenario.status {
        if let Some(&i) = index.get(st.item.as_str()) {
            per_item[i] += st.consumption_per_day.max(0.0);
        }
    }
    let place = |id: &str, name: &str, lat: f64, lon: f64, share: f64| Warehouse {
        site: Site {
            id: id.into(),
            name: name.into(),
            kind: SiteKind::NationalWarehouse,
            county: "00".into(),
            lat,
            lon,
            hub: false,
        },
        stock: scenario
            .items
            .iter()
            .zip(&per_item)
            .map(|(it, &c)| ItemQuantity {
                item: it.id.clone(),
                quantity: (c * days.max(0.0) * share).floor().min(1e15) as i64,
            })
            .collect(),
    };
    vec![
        place(
            "nat-stockholm",
            "National warehouse Stockholm (synthetic)",
            59.48,
            17.75,
            0.6,
        ),
        place(
            "nat-gothenburg",
            "National warehouse Gothenburg (synthetic)",
            57.71,
            11.97,
            0.4,
        ),
    ]
}

/// Which leg a simulated shipment is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Leg {
    /// Redistribution within a county at a meeting.
    County,
    /// National warehouse → county transshipment point.
    National,
    /// Transshipment point → site.
    LastMile,
}

crate::names::named_enum!(Leg, "leg", { County => "county", National => "national", LastMile => "last-mile" });

/// A shipment of the simulation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SimShipment {
    /// Day decided.
    pub day: u32,
    /// Day it arrives.
    pub arrives: u32,
    /// Which leg.
    pub leg: Leg,
    /// Shipping site id.
    pub from: String,
    /// Receiving site id.
    pub to: String,
    /// Item id.
    pub item: String,
    /// Whole units.
    pub quantity: i64,
    /// Distance, km.
    pub km: f64,
}

/// One site's stock of one item on one day, with every movement.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StockDay {
    /// Day.
    pub day: u32,
    /// Site id.
    pub site: String,
    /// Item id.
    pub item: String,
    /// Stock at the start of the day.
    pub start: i64,
    /// Normal-channel deliveries received.
    pub normal_in: i64,
    /// National goods received (last mile).
    pub national_in: i64,
    /// Received from other sites at the meeting.
    pub county_in: i64,
    /// Sent to other sites at the meeting.
    pub county_out: i64,
    /// Consumed.
    pub consumed: i64,
    /// Consumption the stock could not cover (realised unmet acute need).
    pub shortage: i64,
    /// Stock at the end of the day.
    pub end: i64,
}

/// Shortage (consumption the stock could not cover) of one site, item and class on
/// one day.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Shortage {
    /// Day.
    pub day: u32,
    /// Site id.
    pub site: String,
    /// Item id.
    pub item: String,
    /// Priority class id.
    pub priority: String,
    /// Units (> 0).
    pub units: i64,
}

/// The summary of a simulation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SimulationSummary {
    /// National policy.
    pub policy: Policy,
    /// County redistribution on/off.
    pub county_redistribution: bool,
    /// Days simulated.
    pub days: u32,
    /// Meetings held.
    pub meetings: u32,
    /// Priority class ids, highest first.
    pub priority_classes: Vec<String>,
    /// Unmet acute need (shortage) in unit-days per class: units of daily consumption
    /// not covered, summed over sites, items and days (mixed units).
    pub unmet_unit_days: Vec<i64>,
    /// Fill rate per county: mean over items of consumed ÷ demanded, (county, rate),
    /// county order.
    pub county_fill_rates: Vec<(String, f64)>,
    /// The worst county's fill rate (1 if no county).
    pub worst_fill_rate: f64,
    /// County redistribution, unit·km.
    pub county_unit_km: f64,
    /// National leg, unit·km.
    pub national_unit_km: f64,
    /// Last mile, unit·km.
    pub last_mile_unit_km: f64,
    /// National stock left at the end, per item (all warehouses).
    pub national_stock_left: Vec<(String, i64)>,
}

/// The result of a simulation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Simulation {
    /// Stock and movements, per day, site (scenario order), item (scenario order), for
    /// every site and item with a status row.
    pub stock: Vec<StockDay>,
    /// Shortages, per day.
    pub shortages: Vec<Shortage>,
    /// All shipments, in decision order.
    pub shipments: Vec<SimShipment>,
    /// The summary.
    pub summary: SimulationSummary,
}

/// A recorded round: what a simulation hands to its observer (e.g. the audit log).
pub enum RoundRecord<'a> {
    /// A county round.
    County {
        /// Day.
        day: u32,
        /// The round's input.
        scenario: &'a Scenario,
        /// Its options.
        options: &'a RoundOptions,
        /// Its plan.
        plan: &'a Plan,
    },
    /// A national round.
    National {
        /// Day.
        day: u32,
        /// The round's input.
        input: &'a NationalRound,
        /// Its policy.
        policy: Policy,
        /// Its plan.
        plan: &'a NationalPlan,
    },
}

/// One tracked (site, item) pair.
struct Track {
    site: usize,
    item: usize,
    status_row: usize,
    base_rate: f64,
    reported_rate: f64,
    carry: f64,
    stock: i64,
    /// The scenario's normal deliveries: (day, quantity).
    deliveries: Vec<(f64, i64)>,
    /// The synthetic weekly supply: (weekday, quantity).
    weekly_supply: (u32, i64),
    /// Priority class weights (for shortages).
    class_weights: Vec<f64>,
}

impl SimulationOptions {
    /// Checks every option; an [`Error::Invalid`] names each bad one by its field
    /// (`acute_window_hours`, `wave.amplitude`, …). [`simulate`] calls it first.
    pub fn check(&self) -> Result<()> {
        check_options(self)
    }
}

fn check_options(options: &SimulationOptions) -> Result<()> {
    let mut errors = Vec::new();
    let mut bad = |field: &str, message: String| errors.push(crate::error::InvalidValue::new(field, message));
    if options.weeks == 0 {
        bad("weeks", "must be >= 1, got 0".into());
    }
    if let Some(d) = options.meeting_weekdays.iter().find(|&&d| d > 6) {
        bad(
            "meeting_weekdays",
            format!("weekdays are 0 (Monday) to 6 (Sunday), got {d}"),
        );
    }
    if options.status_weekday > 6 {
        bad(
            "status_weekday",
            format!("weekdays are 0 (Monday) to 6 (Sunday), got {}", options.status_weekday),
        );
    }
    if !(options.acute_window_hours.is_finite() && options.acute_window_hours > 0.0) {
        bad(
            "acute_window_hours",
            format!(
                "must be a finite number > 0, got {}",
                compact(options.acute_window_hours)
            ),
        );
    }
    if !(options.reserve_days.is_finite() && options.reserve_days >= 0.0) {
        bad(
            "reserve_days",
            format!("must be a finite number >= 0, got {}", compact(options.reserve_days)),
        );
    }
    let w = &options.wave;
    if !(w.amplitude.is_finite() && w.amplitude >= 0.0) {
        bad(
            "wave.amplitude",
            format!("must be a finite number >= 0, got {}", compact(w.amplitude)),
        );
    }
    if !(w.width_days.is_finite() && w.width_days > 0.0) {
        bad(
            "wave.width_days",
            format!("must be a finite number > 0, got {}", compact(w.width_days)),
        );
    }
    if !w.peak_day.is_finite() {
        bad("wave.peak_day", format!("must be finite, got {}", compact(w.peak_day)));
    }
    if !(options.national_stock_days.is_finite() && options.national_stock_days >= 0.0) {
        bad(
            "national_stock_days",
            format!(
                "must be a finite number >= 0, got {}",
                compact(options.national_stock_days)
            ),
        );
    }
    if !(options.weekly_supply_days.is_finite() && options.weekly_supply_days >= 0.0) {
        bad(
            "weekly_supply_days",
            format!(
                "must be a finite number >= 0, got {}",
                compact(options.weekly_supply_days)
            ),
        );
    }
    if options.lookahead_days == 0 || options.lookahead_days > crate::lookahead::MAX_DAYS {
        bad(
            "lookahead_days",
            format!(
                "must be between 1 and {}, got {}",
                crate::lookahead::MAX_DAYS,
                options.lookahead_days
            ),
        );
    }
    if !(options.forecast_error.is_finite() && options.forecast_error >= 0.0) {
        bad(
            "forecast_error",
            format!("must be a finite number >= 0, got {}", compact(options.forecast_error)),
        );
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid(errors))
    }
}

/// Runs the weekly process on `scenario` (its status is day 0's) for
/// `options.weeks` weeks; `observe` sees every round (county and national) as it is
/// decided.
pub fn simulate(
    scenario: &Scenario,
    options: &SimulationOptions,
    observe: &mut dyn FnMut(RoundRecord<'_>) -> Result<()>,
) -> Result<Simulation> {
    check_options(options)?;
    let base = simulation_base(scenario, options);
    let mut run = Run::new(&base, options)?;
    for day in 0..run.out.summary.days {
        run.day(day, observe)?;
    }
    Ok(run.summary())
}

/// The scenario every meeting starts from: the options' acute window and reserve, a
/// horizon at least the acute window, and no explicit needs (they are derived from the
/// simulated stock).
fn simulation_base(scenario: &Scenario, options: &SimulationOptions) -> Scenario {
    let mut base = scenario.clone();
    base.parameters.acute_window_hours = options.acute_window_hours;
    base.parameters.reserve_days = options.reserve_days;
    base.parameters.horizon_days = base.parameters.horizon_days.max(options.acute_window_hours / 24.0);
    for st in &mut base.status {
        st.acute_need = None;
        st.planning_need = None;
        st.reserve_days = None;
    }
    base
}

/// The state of a running simulation: what is fixed for the run (indices, depots, the
/// wave's per-site variation) and what the days change (stock, national stock, goods
/// on their way, the result so far). One method per phase of a day.
struct Run<'a> {
    base: &'a Scenario,
    options: &'a SimulationOptions,
    classes: Vec<String>,
    depots: Vec<CountyDepot>,
    site_index: HashMap<&'a str, usize>,
    item_index: HashMap<&'a str, usize>,
    track_of: HashMap<(usize, usize), usize>,
    variation: Vec<(f64, f64)>,
    /// National lead plus last-mile lead, days.
    lead: u32,
    tracks: Vec<Track>,
    warehouses: Vec<Warehouse>,
    /// Pending national arrivals: (day, track) -> units.
    national_pending: BTreeMap<(u32, usize), i64>,
    out: Simulation,
    wanted: Vec<i64>,
    consumed_total: Vec<i64>,
    /// Unit·hectometre per leg (county, national, last mile).
    county_hm: i128,
    national_hm: i128,
    last_mile_hm: i128,
}

impl<'a> Run<'a> {
    /// Resolves `base` and sets up the tracks, warehouses and an empty result.
    fn new(base: &'a Scenario, options: &'a SimulationOptions) -> Result<Self> {
        let resolved = base.resolve()?;
        let classes: Vec<String> = resolved.classes.iter().map(|c| c.id.clone()).collect();
        let depots = default_depots(base)?;
        let warehouses = match &options.warehouses {
            Some(w) => w.clone(),
            None => {
                check_national_stock(base, options.national_stock_days)?;
                default_warehouses(base, options.national_stock_days)
            }
        };
        let site_index: HashMap<&str, usize> = base.sites.iter().enumerate().map(|(i, s)| (s.id.as_str(), i)).collect();
        let item_index: HashMap<&str, usize> = base.items.iter().enumerate().map(|(i, s)| (s.id.as_str(), i)).collect();
        let tracks = tracks(base, options, &resolved, &site_index, &item_index)?;
        let track_of: HashMap<(usize, usize), usize> =
            tracks.iter().enumerate().map(|(i, t)| ((t.site, t.item), i)).collect();
        let variation: Vec<(f64, f64)> = (0..base.sites.len()).map(|s| options.wave.site_variation(s)).collect();
        let days = options
            .weeks
            .checked_mul(7)
            .ok_or_else(|| Error::Overflow("weeks × 7".into()))?;
        let lead = options
            .national_lead_days
            .checked_add(options.last_mile_lead_days)
            .ok_or_else(|| Error::Overflow("lead days".into()))?;
        check_sizes(base, options, &tracks, days)?;
        let mut stock = Vec::new();
        stock.try_reserve_exact(tracks.len() * days as usize).map_err(|_| {
            Error::invalid(
                "weeks",
                format!("not enough memory for {} stock rows", tracks.len() * days as usize),
            )
        })?;
        let out = Simulation {
            stock,
            shortages: Vec::new(),
            shipments: Vec::new(),
            summary: SimulationSummary {
                policy: options.policy,
                county_redistribution: options.county_redistribution,
                days,
                meetings: 0,
                priority_classes: classes.clone(),
                unmet_unit_days: vec![0; classes.len()],
                county_fill_rates: Vec::new(),
                worst_fill_rate: 1.0,
                county_unit_km: 0.0,
                national_unit_km: 0.0,
                last_mile_unit_km: 0.0,
                national_stock_left: Vec::new(),
            },
        };
        Ok(Run {
            base,
            options,
            classes,
            depots,
            site_index,
            item_index,
            track_of,
            variation,
            lead,
            wanted: vec![0; tracks.len()],
            consumed_total: vec![0; tracks.len()],
            tracks,
            warehouses,
            national_pending: BTreeMap::new(),
            out,
            county_hm: 0,
            national_hm: 0,
            last_mile_hm: 0,
        })
    }

    /// One simulated day: arrivals, status report, meeting (county and national
    /// round), consumption; its stock rows are appended to the result.
    fn day(&mut self, day: u32, observe: &mut dyn FnMut(RoundRecord<'_>) -> Result<()>) -> Result<()> {
        let weekday = (day % 7) as u8;
        let mut rows = self.start_rows(day);
        self.arrivals(day, &mut rows)?;
        if weekday == self.options.status_weekday {
            self.report(day);
        }
        if self.options.meeting_weekdays.contains(&weekday) {
            self.out.summary.meetings += 1;
            let plan = self.county_meeting(day, &mut rows, observe)?;
            self.national_round(day, &plan, &mut rows, observe)?;
        }
        self.consumption(day, &mut rows);
        self.out.stock.extend(rows);
        Ok(())
    }

    /// The day's stock rows, with the start stock filled in.
    fn start_rows(&self, day: u32) -> Vec<StockDay> {
        self.tracks
            .iter()
            .map(|t| StockDay {
                day,
                site: self.base.sites[t.site].id.clone(),
                item: self.base.items[t.item].id.clone(),
                start: t.stock,
                normal_in: 0,
                national_in: 0,
                county_in: 0,
                county_out: 0,
                consumed: 0,
                shortage: 0,
                end: 0,
            })
            .collect()
    }

    /// Phase 1, arrivals: normal-channel deliveries and national goods due today.
    fn arrivals(&mut self, day: u32, rows: &mut [StockDay]) -> Result<()> {
        for (ti, t) in self.tracks.iter_mut().enumerate() {
            let q = normal_arrivals(t, day, self.options.repeat_deliveries_weekly)?;
            let n = self.national_pending.remove(&(day, ti)).unwrap_or(0);
            rows[ti].normal_in = q;
            rows[ti].national_in = n;
            t.stock = t
                .stock
                .checked_add(q)
                .and_then(|s| s.checked_add(n))
                .ok_or_else(|| {
                    Error::Overflow(format!(
                        "status[{}].stock: the simulated stock {} plus {q} + {n} units arriving on day {day} exceeds the i64 range",
                        t.status_row, t.stock
                    ))
                })?;
        }
        Ok(())
    }

    /// Phase 2, status report: every site reports today's consumption rate.
    fn report(&mut self, day: u32) {
        for t in &mut self.tracks {
            t.reported_rate = t.base_rate * self.options.wave.multiplier(day, self.variation[t.site]);
        }
    }

    /// Phase 3a: the county round on the current stock; its shipments move today.
    fn county_meeting(
        &mut self,
        day: u32,
        rows: &mut [StockDay],
        observe: &mut dyn FnMut(RoundRecord<'_>) -> Result<()>,
    ) -> Result<Plan> {
        let mut meeting = self.base.clone();
        if !self.options.county_redistribution {
            meeting.lanes = Some(Vec::new());
        }
        for (ti, t) in self.tracks.iter().enumerate() {
            let st = &mut meeting.status[t.status_row];
            st.stock = t.stock;
            st.consumption_per_day = (t.reported_rate * 10.0).round() / 10.0;
            st.deliveries = expected_deliveries(
                t,
                ti,
                day,
                self.options,
                &self.national_pending,
                meeting.parameters.horizon_days,
            )?;
        }
        let plan = match self.options.round_mode {
            RoundMode::Myopic => run_county_round(&meeting, &self.options.round)?,
            RoundMode::Lookahead => lookahead_meeting(
                &meeting,
                day,
                self.options.lookahead_days,
                &self.options.meeting_weekdays,
                &self.options.round,
            )?,
        };
        observe(RoundRecord::County {
            day,
            scenario: &meeting,
            options: &self.options.round,
            plan: &plan,
        })?;
        // Units passing through forwarding sites without a status row (they hold no
        // stock of the item, so what arrives there leaves the same day).
        let mut passing: BTreeMap<(usize, usize), i64> = BTreeMap::new();
        for s in &plan.shipments {
            let (Some(&from), Some(&to), Some(&item)) = (
                self.site_index.get(s.from.as_str()),
                self.site_index.get(s.to.as_str()),
                self.item_index.get(s.item.as_str()),
            ) else {
                return Err(Error::Solver(format!(
                    "county plan names an unknown site or item: {s:?}"
                )));
            };
            for (site, delta) in [(from, -s.quantity), (to, s.quantity)] {
                match self.track_of.get(&(site, item)) {
                    Some(&t) if delta < 0 => rows[t].county_out += s.quantity,
                    Some(&t) => rows[t].county_in += s.quantity,
                    None if self.base.sites[site].forwards() => *passing.entry((site, item)).or_default() += delta,
                    None => {
                        return Err(Error::Solver(format!(
                            "county plan ships between untracked sites: {s:?}"
                        )))
                    }
                }
                if let Some(&t) = self.track_of.get(&(site, item)) {
                    self.tracks[t].stock += delta;
                }
            }
            self.county_hm += i128::from(s.quantity) * (s.km * KM_SCALE as f64).round() as i128;
            self.out.shipments.push(SimShipment {
                day,
                arrives: day,
                leg: Leg::County,
                from: s.from.clone(),
                to: s.to.clone(),
                item: s.item.clone(),
                quantity: s.quantity,
                km: s.km,
            });
        }
        if self.tracks.iter().any(|t| t.stock < 0) || passing.values().any(|&q| q != 0) {
            return Err(Error::Solver("county plan sends more than a site holds".into()));
        }
        Ok(plan)
    }

    /// Phase 3b: the national round on the counties' requests: goods leave the warehouses
    /// today and reach the sites after the lead times.
    fn national_round(
        &mut self,
        day: u32,
        plan: &Plan,
        rows: &mut [StockDay],
        observe: &mut dyn FnMut(RoundRecord<'_>) -> Result<()>,
    ) -> Result<()> {
        let input = NationalRound {
            priority_classes: self.classes.clone(),
            counties: self.depots.clone(),
            warehouses: self.warehouses.clone(),
            requests: plan.requests.clone(),
            sites: self.base.sites.clone(),
            detour_factor: self.base.parameters.detour_factor,
        };
        let national = run_national_round(&input, self.options.policy)?;
        observe(RoundRecord::National {
            day,
            input: &input,
            policy: self.options.policy,
            plan: &national,
        })?;
        for after in &national.stock_after {
            for w in self.warehouses.iter_mut().filter(|w| w.site.id == after.warehouse) {
                for s in w.stock.iter_mut().filter(|s| s.item == after.item) {
                    s.quantity -= after.sent;
                }
            }
        }
        let arrive_tp = day.saturating_add(self.options.national_lead_days);
        let arrive_site = day.saturating_add(self.lead);
        for s in &national.national_shipments {
            self.national_hm += i128::from(s.quantity) * (s.km * KM_SCALE as f64).round() as i128;
            self.out.shipments.push(sim_shipment(day, arrive_tp, Leg::National, s));
        }
        for s in &national.last_mile {
            self.last_mile_hm += i128::from(s.quantity) * (s.km * KM_SCALE as f64).round() as i128;
            let (Some(&to), Some(&item)) = (self.site_index.get(s.to.as_str()), self.item_index.get(s.item.as_str()))
            else {
                return Err(Error::Solver(format!(
                    "national plan names an unknown site or item: {s:?}"
                )));
            };
            let Some(&ti) = self.track_of.get(&(to, item)) else {
                return Err(Error::Solver(format!(
                    "national plan delivers to an untracked site: {s:?}"
                )));
            };
            if arrive_site == day {
                // No lead time: the goods are there the same day.
                self.tracks[ti].stock += s.quantity;
                rows[ti].national_in += s.quantity;
            } else {
                *self.national_pending.entry((arrive_site, ti)).or_insert(0) += s.quantity;
            }
            self.out
                .shipments
                .push(sim_shipment(day, arrive_site, Leg::LastMile, s));
        }
        Ok(())
    }

    /// Phase 4, consumption: each site consumes today's rate; what the stock cannot cover is
    /// a shortage, borne by the lowest classes first.
    fn consumption(&mut self, day: u32, rows: &mut [StockDay]) {
        for (ti, t) in self.tracks.iter_mut().enumerate() {
            let noise = forecast_noise(self.options.forecast_seed, self.options.forecast_error, ti, day);
            t.carry += t.base_rate * self.options.wave.multiplier(day, self.variation[t.site]) * noise;
            let want = (t.carry + 1e-9).floor().max(0.0);
            t.carry -= want;
            let want = want.min(1e15) as i64;
            let used = want.min(t.stock);
            t.stock -= used;
            let short = want - used;
            self.wanted[ti] += want;
            self.consumed_total[ti] += used;
            rows[ti].consumed = used;
            rows[ti].shortage = short;
            rows[ti].end = t.stock;
            if short > 0 {
                // Stock serves the highest classes first: the shortage falls on the lowest.
                let per_class = split_by_weights(want, &t.class_weights);
                let mut served = used;
                for (c, &w) in per_class.iter().enumerate() {
                    let s = w.min(served);
                    served -= s;
                    let units = w - s;
                    if units > 0 {
                        self.out.summary.unmet_unit_days[c] += units;
                        self.out.shortages.push(Shortage {
                            day,
                            site: self.base.sites[t.site].id.clone(),
                            item: self.base.items[t.item].id.clone(),
                            priority: self.classes[c].clone(),
                            units,
                        });
                    }
                }
            }
        }
    }

    /// The summary: fill rates per county, unit·km per leg, national stock left.
    fn summary(mut self) -> Simulation {
        let base = self.base;
        let mut per_county: BTreeMap<&str, BTreeMap<usize, (i64, i64)>> = BTreeMap::new();
        for (ti, t) in self.tracks.iter().enumerate() {
            let e = per_county
                .entry(base.sites[t.site].county.as_str())
                .or_default()
                .entry(t.item)
                .or_insert((0, 0));
            e.0 += self.consumed_total[ti];
            e.1 += self.wanted[ti];
        }
        let summary = &mut self.out.summary;
        for depot in &self.depots {
            let Some(items) = per_county.get(depot.county.as_str()) else {
                continue;
            };
            let rates: Vec<f64> = items
                .values()
                .map(|&(used, want)| if want > 0 { used as f64 / want as f64 } else { 1.0 })
                .collect();
            let rate = if rates.is_empty() {
                1.0
            } else {
                rates.iter().sum::<f64>() / rates.len() as f64
            };
            summary.county_fill_rates.push((depot.county.clone(), rate));
        }
        summary.worst_fill_rate = summary.county_fill_rates.iter().map(|c| c.1).fold(1.0, f64::min);
        summary.county_unit_km = self.county_hm as f64 / KM_SCALE as f64;
        summary.national_unit_km = self.national_hm as f64 / KM_SCALE as f64;
        summary.last_mile_unit_km = self.last_mile_hm as f64 / KM_SCALE as f64;
        summary.national_stock_left = base
            .items
            .iter()
            .map(|it| {
                let left = self
                    .warehouses
                    .iter()
                    .flat_map(|w| w.stock.iter())
                    .filter(|s| s.item == it.id)
                    .map(|s| s.quantity)
                    .sum();
                (it.id.clone(), left)
            })
            .collect();
        self.out
    }
}

/// One track per status row with a known site and item, in (site, item) order.
fn tracks(
    base: &Scenario,
    options: &SimulationOptions,
    resolved: &crate::model::ResolvedScenario,
    site_index: &HashMap<&str, usize>,
    item_index: &HashMap<&str, usize>,
) -> Result<Vec<Track>> {
    let mut tracks: Vec<Track> = Vec::new();
    for (row, st) in base.status.iter().enumerate() {
        let (Some(&site), Some(&item)) = (site_index.get(st.site.as_str()), item_index.get(st.item.as_str())) else {
            continue; // resolve() has rejected unknown ids already
        };
        let weekly = (st.consumption_per_day * options.weekly_supply_days).round();
        if weekly > MAX_UNITS {
            return Err(Error::invalid(
                "weekly_supply_days",
                format!(
                    "{} days of status[{row}].consumption_per_day = {} is {} units a week, above 2^53",
                    compact(options.weekly_supply_days),
                    compact(st.consumption_per_day),
                    compact(weekly)
                ),
            ));
        }
        tracks.push(Track {
            site,
            item,
            status_row: row,
            base_rate: st.consumption_per_day,
            reported_rate: st.consumption_per_day,
            carry: 0.0,
            stock: st.stock,
            deliveries: st.deliveries.iter().map(|d| (d.day, d.quantity)).collect(),
            weekly_supply: ((site % 5) as u32, weekly as i64),
            class_weights: resolved.profile(site, item).class_weights.clone(),
        });
    }
    tracks.sort_by_key(|t| (t.site, t.item));
    Ok(tracks)
}

/// The most units a simulated quantity may reach (2^53: exact in `f64`).
const MAX_UNITS: f64 = 9_007_199_254_740_992.0;

/// Bytes per simulated stock row: the row with its two ids, and its JSON text.
const STOCK_ROW_BYTES: u128 = 400;

/// Bytes per expected delivery handed to a meeting: the delivery, the round's sorted
/// copy, its audit-log text and the map that gathers it.
const EXPECTED_DELIVERY_BYTES: u128 = 128;

/// Refuses a simulation whose stock table (tracks × days) or whose expected deliveries
/// at a meeting (tracks × events within the horizon) would need more memory than the
/// limit ([`crate::limits`]): the error names `weeks` or the horizon's field.
fn check_sizes(base: &Scenario, options: &SimulationOptions, tracks: &[Track], days: u32) -> Result<()> {
    let rows = tracks.len() as u128 * u128::from(days);
    check_memory(
        "weeks",
        &format!(
            "{} weeks of {} tracked sites and items ({rows} stock rows)",
            options.weeks,
            tracks.len()
        ),
        rows * STOCK_ROW_BYTES,
    )?;
    let horizon = base.parameters.horizon_days;
    // Days within the horizon, then events on them: each delivery (weekly when
    // repeated), the weekly supply, national arrivals (at most one a day).
    let window = horizon.ceil().clamp(0.0, 1e18) as u128 + 1;
    let weeks = window / 7 + 1;
    let mut events: u128 = 0;
    for t in tracks {
        let per_delivery = if options.repeat_deliveries_weekly { weeks } else { 1 };
        events += t.deliveries.len() as u128 * per_delivery + weeks + window.min(u128::from(days));
    }
    // The simulation raises the horizon to the acute window: name what set it.
    let field = if options.acute_window_hours / 24.0 >= horizon {
        "acute_window_hours"
    } else {
        "parameters.horizon_days"
    };
    check_memory(
        field,
        &format!(
            "a horizon of {} days ({events} expected deliveries at each meeting)",
            compact(horizon)
        ),
        events * EXPECTED_DELIVERY_BYTES,
    )
}

/// Refuses default national warehouses whose stock (`days` × an item's total base
/// consumption) would exceed [`MAX_UNITS`], naming `national_stock_days`.
fn check_national_stock(scenario: &Scenario, days: f64) -> Result<()> {
    let mut per_item: HashMap<&str, f64> = HashMap::new();
    for st in &scenario.status {
        *per_item.entry(st.item.as_str()).or_insert(0.0) += st.consumption_per_day.max(0.0);
    }
    for it in &scenario.items {
        let total = per_item.get(it.id.as_str()).copied().unwrap_or(0.0) * days.max(0.0);
        if total > MAX_UNITS {
            return Err(Error::invalid(
                "national_stock_days",
                format!(
                    "{} days of item '{}' is {} units, above 2^53",
                    compact(days),
                    it.id,
                    compact(total)
                ),
            ));
        }
    }
    Ok(())
}

fn sim_shipment(day: u32, arrives: u32, leg: Leg, s: &super::plan::Shipment) -> SimShipment {
    SimShipment {
        day,
        arrives,
        leg,
        from: s.from.clone(),
        to: s.to.clone(),
        item: s.item.clone(),
        quantity: s.quantity,
        km: s.km,
    }
}

/// Normal-channel units arriving on `day`: each scenario delivery at `floor(day)`, and
/// every 7 days after when repeated; the weekly supply on its weekday.
fn normal_arrivals(t: &Track, day: u32, repeat: bool) -> Result<i64> {
    let weekly = if day % 7 == t.weekly_supply.0 {
        t.weekly_supply.1
    } else {
        0
    };
    t.deliveries
        .iter()
        .filter(|(at, _)| {
            let first = at.floor().max(0.0) as u64;
            let day = u64::from(day);
            day == first || (repeat && day > first && (day - first) % 7 == 0)
        })
        .try_fold(weekly, |sum, (_, q)| sum.checked_add(*q))
        .ok_or_else(|| arrivals_overflow(t, day))
}

fn arrivals_overflow(t: &Track, day: u32) -> Error {
    Error::Overflow(format!(
        "status[{}].deliveries: the units arriving on day {day} exceed the i64 range",
        t.status_row
    ))
}

/// What a site expects to receive within `horizon` days after `day` (relative days),
/// normal and national: one entry per day with arrivals, in day order. Built from the
/// arrival events in the window (each delivery and its weekly repeats, the weekly
/// supply, national goods on their way), not by visiting every day of the horizon.
fn expected_deliveries(
    t: &Track,
    ti: usize,
    day: u32,
    options: &SimulationOptions,
    national: &BTreeMap<(u32, usize), i64>,
    horizon: f64,
) -> Result<Vec<Delivery>> {
    let day64 = u64::from(day);
    let last = day64 + horizon.ceil().clamp(0.0, 1e15) as u64;
    let mut by_day: BTreeMap<u64, i64> = BTreeMap::new();
    let mut add = |d: u64, q: i64| -> Result<()> {
        let e = by_day.entry(d).or_insert(0);
        *e = e.checked_add(q).ok_or_else(|| arrivals_overflow(t, day))?;
        Ok(())
    };
    // Days d in (day, last] with d ≡ first (mod 7) and d >= first.
    let weekly_from = |first: u64| {
        let start = if first > day64 {
            first
        } else {
            first + (day64 + 1 - first).div_ceil(7) * 7
        };
        (start..=last).step_by(7)
    };
    for &(at, q) in &t.deliveries {
        let first = at.floor().max(0.0) as u64;
        if options.repeat_deliveries_weekly {
            for d in weekly_from(first) {
                add(d, q)?;
            }
        } else if first > day64 && first <= last {
            add(first, q)?;
        }
    }
    for d in weekly_from(u64::from(t.weekly_supply.0)) {
        add(d, t.weekly_supply.1)?;
    }
    let upper = u32::try_from(last).unwrap_or(u32::MAX);
    if day < upper {
        for (&(d, track), &q) in national.range((day + 1, 0)..=(upper, usize::MAX)) {
            if track == ti {
                add(u64::from(d), q)?;
            }
        }
    }
    Ok(by_day
        .into_iter()
        .filter(|&(_, q)| q > 0)
        .map(|(d, q)| Delivery {
            day: (d - day64) as f64,
            quantity: q,
        })
        .collect())
}

/// Weekday names (`mon` … `sun`), as [`weekday_numbers`] reads them.
const WEEKDAY_NAMES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// Weekday numbers (0 = Monday) as comma-separated names, e.g. `mon,wed,fri` for
/// `[0, 2, 4]`; a number beyond 6 is written as the number.
pub fn weekday_names(days: &[u8]) -> String {
    let name = |d: &u8| {
        WEEKDAY_NAMES
            .get(usize::from(*d))
            .map_or_else(|| d.to_string(), |n| n.to_string())
    };
    days.iter().map(name).collect::<Vec<_>>().join(",")
}

/// Weekday numbers (0 = Monday … 6 = Sunday) from names `mon` … `sun` (any case);
/// an unknown name is [`Error::Invalid`] at `path`.
///
/// ```
/// use allocnet::process::simulate::weekday_numbers;
/// assert_eq!(weekday_numbers(&["mon", "Wed", "fri"], "meeting_days").unwrap(), vec![0, 2, 4]);
/// assert!(weekday_numbers(&["monday"], "meeting_days").is_err());
/// ```
pub fn weekday_numbers<S: AsRef<str>>(names: &[S], path: &str) -> Result<Vec<u8>> {
    names
        .iter()
        .map(|day| {
            let day = day.as_ref().trim();
            WEEKDAY_NAMES
                .iter()
                .position(|n| n.eq_ignore_ascii_case(day))
                .map(|i| i as u8)
                .ok_or_else(|| Error::invalid(path, format!("expected weekday names mon..sun, got '{day}'")))
        })
        .collect()
}

/// Every national [`Policy`], with and without county redistribution (in that order),
/// on the same scenario and `options` otherwise: one `(label, summary)` per run, the
/// label such as `max-min +county` or `optimal no-county`.
pub fn compare_policies(scenario: &Scenario, options: &SimulationOptions) -> Result<Vec<(String, SimulationSummary)>> {
    let mut runs = Vec::new();
    for redistribution in [true, false] {
        for policy in Policy::ALL {
            let options = SimulationOptions {
                policy,
                county_redistribution: redistribution,
                ..options.clone()
            };
            let sim = simulate(scenario, &options, &mut |_| Ok(()))?;
            let label = format!(
                "{} {}",
                policy.as_str(),
                if redistribution { "+county" } else { "no-county" }
            );
            runs.push((label, sim.summary));
        }
    }
    Ok(runs)
}

/// A scenario by name: a built-in name ([`model::builtin::BUILTIN`]), otherwise a JSON
/// file or a directory of CSV tables (kept here for existing callers; the one place is
/// [`model::builtin::scenario_by_name`]).
///
/// [`model::builtin::BUILTIN`]: crate::model::builtin::BUILTIN
/// [`model::builtin::scenario_by_name`]: crate::model::builtin::scenario_by_name
pub fn scenario_by_name(spec: &str) -> Result<Scenario> {
    crate::model::builtin::scenario_by_name(spec)
}
