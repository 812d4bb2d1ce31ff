//! Both engines on generated instances of every family: the simplex answer is
//! certified, the LP engine finds the same optimal cost, and a warm start after cost
//! changes matches a cold solve.

use allocnet::engine::solve_with;
use allocnet::flow::generate::{generate, Family, NetgenParams, TransportationParams, TransshipmentParams};
use allocnet::flow::{verify_solution, Engine, NetworkSimplex, Status};

fn families() -> Vec<Family> {
    vec![
        Family::Transportation(TransportationParams {
            sources: 20,
            sinks: 40,
            ..TransportationParams::default()
        }),
        Family::Transshipment(TransshipmentParams {
            nodes: 300,
            arcs: 3000,
            ..TransshipmentParams::default()
        }),
        Family::Netgen(NetgenParams {
            nodes: 300,
            arcs: 3000,
            transshipment_sources: 5,
            transshipment_sinks: 5,
            ..NetgenParams::default()
        }),
    ]
}

#[test]
fn engines_agree_on_generated_instances() {
    for family in families() {
        for seed in 0..3 {
            let net = generate(&family, seed).unwrap();
            let simplex = solve_with(&net, Engine::Simplex).unwrap();
            assert_eq!(simplex.status, Status::Optimal, "{family:?} seed {seed}");
            assert!(verify_solution(&net, &simplex).is_empty(), "{family:?} seed {seed}");
            let lp = solve_with(&net, Engine::Lp).unwrap();
            assert!(verify_solution(&net, &lp).is_empty(), "{family:?} seed {seed}");
            assert_eq!(simplex.cost, lp.cost, "{family:?} seed {seed}");
        }
    }
}

#[test]
fn warm_start_matches_cold_on_generated_instances() {
    for family in families() {
        let mut net = generate(&family, 11).unwrap();
        let mut solver = NetworkSimplex::new(&net).unwrap();
        solver.solve().unwrap();
        for round in 0..5u32 {
            // Change every 50th arc's cost, differently each round.
            for a in (round as usize..net.arc_count()).step_by(50) {
                let cost = (net.costs()[a] * 7 + i64::from(round) * 13) % 101 - 10;
                net.set_cost(a as u32, cost).unwrap();
                solver.set_cost(a as u32, cost).unwrap();
            }
            let warm = solver.solve().unwrap();
            let cold = NetworkSimplex::new(&net).unwrap().solve().unwrap();
            assert_eq!(warm.status, Status::Optimal);
            assert!(verify_solution(&net, &warm).is_empty());
            assert_eq!(warm.cost, cold.cost, "{family:?} round {round}");
        }
    }
}
