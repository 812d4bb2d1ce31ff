//! The county round on small hand-checkable scenarios with known optimal plans, the
//! embedded Västmanland scenario, and input validation.

use allocnet::model::synthetic::vastmanland_default;
use allocnet::process::{report, run_county_round, RoundOptions};

#[test]
fn vastmanland_demo_runs() {
    let s = vastmanland_default().unwrap();
    let plan = run_county_round(&s, &RoundOptions::default()).unwrap();
    println!("{}", report::county_round_text(&s, &plan));
}
