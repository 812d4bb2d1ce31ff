//! The lookahead round inside the simulator (rolling horizon): at each meeting the
//! coming days are planned, today's shipments are carried out, and the next meeting
//! plans again from what really happened.
//!
//! The simulator moves county shipments the same day, so the simulator's lookahead
//! uses zero lead times (the same physics as the myopic round) and the simulator's
//! meeting weekdays. The county request to the national agency is the remaining acute
//! need after today's shipments, computed as the myopic round does (the same request
//! logic in both modes, so the national round sees comparable requests).

use super::{run_lookahead, LookaheadOptions, WEEKDAYS};
use crate::error::{Error, Result};
use crate::model::Scenario;
use crate::process::{run_county_round, Plan, RoundOptions, Shipment};
use crate::rng::SplitMix64;
use serde::{Deserialize, Serialize};

/// Which county round the simulator holds at a meeting.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RoundMode {
    /// Today's round: one round from the current stock (default).
    #[default]
    Myopic,
    /// The lookahead round over the coming days; today's shipments are carried out.
    Lookahead,
}

crate::names::named_enum!(RoundMode, "round", {
    Myopic => "myopic",
    Lookahead => "lookahead",
});

/// The meeting of day `day` (day 0 a Monday) in lookahead mode on the meeting scenario
/// `meeting` (current stock, reported consumption, expected arrivals): today's
/// shipments of a `days`-day lookahead, and the county requests left after them.
pub fn lookahead_meeting(
    meeting: &Scenario,
    day: u32,
    days: u32,
    meeting_weekdays: &[u8],
    round: &RoundOptions,
) -> Result<Plan> {
    let options = LookaheadOptions {
        days,
        start: WEEKDAYS[(day % 7) as usize].into(),
        meeting_days: meeting_weekdays
            .iter()
            .filter_map(|&w| WEEKDAYS.get(usize::from(w)).map(|s| (*s).to_string()))
            .collect(),
        same_day_km: f64::MAX,
        ..LookaheadOptions::default()
    };
    let ahead = run_lookahead(meeting, &options, round.engine)?;
    let mut after = meeting.clone();
    let mut shipments = Vec::new();
    for s in ahead.shipments.iter().filter(|s| s.today) {
        for (site, delta) in [(&s.from, -s.quantity), (&s.to, s.quantity)] {
            if let Some(st) = after.status.iter_mut().find(|st| &st.site == site && st.item == s.item) {
                st.stock = st
                    .stock
                    .checked_add(delta)
                    .ok_or_else(|| Error::Overflow("stock after the lookahead shipments".into()))?;
            }
        }
        shipments.push(Shipment {
            from: s.from.clone(),
            to: s.to.clone(),
            item: s.item.clone(),
            quantity: s.quantity,
            km: s.km,
        });
    }
    after.lanes = Some(Vec::new());
    let mut plan = run_county_round(&after, round)?;
    plan.shipments = shipments;
    Ok(plan)
}

/// The realised consumption factor of track `track` on day `day`: `max(0, 1 + error·z)`
/// with `z` standard normal (Box–Muller on SplitMix64 stream `(seed, track, day)`), so
/// both round modes see the same realised consumption. `error = 0` gives 1 exactly.
pub fn forecast_noise(seed: u64, error: f64, track: usize, day: u32) -> f64 {
    if error == 0.0 {
        return 1.0;
    }
    let mut rng = SplitMix64::stream(seed, track as u64 + 1, u64::from(day) + 1);
    let u1 = rng.unit().max(f64::MIN_POSITIVE);
    let u2 = rng.unit();
    let z = (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos();
    (1.0 + error * z).max(0.0)
}
