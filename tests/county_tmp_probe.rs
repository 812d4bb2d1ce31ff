#[test]
fn probe() {
    let se = allocnet::model::synthetic::sweden(2020).unwrap();
    let t = std::time::Instant::now();
    let r = se.resolve().unwrap();
    println!("resolve {:?} lanes {}", t.elapsed(), r.lanes.len());
    let t = std::time::Instant::now();
    let plan = allocnet::process::run_resolved(&r, &Default::default()).unwrap();
    println!("round {:?}", t.elapsed());
    for o in &plan.objective { println!("{} {:?} {:?} {}", o.item, o.method, o.acute_unmet, o.planning_unmet); }
    println!("unmet rows {}, shipments {}", plan.unmet.len(), plan.shipments.len());
}
