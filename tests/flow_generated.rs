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

/// A NETGEN-like network with more arcs than `MIX_MIN_ARCS` (2^16): the simplex stores
/// its arcs interleaved (LEMON's arc mixing), so this checks the translation at the
/// solver's boundary.
fn large_netgen(seed: u64) -> allocnet::flow::Network {
    let family = Family::Netgen(NetgenParams {
        nodes: 2_000,
        arcs: 70_000,
        transshipment_sources: 5,
        transshipment_sinks: 5,
        ..NetgenParams::default()
    });
    generate(&family, seed).unwrap()
}

#[test]
fn mixed_arc_order_is_invisible_to_callers() {
    let mut net = large_netgen(5);
    assert!(net.arc_count() >= 1 << 16);
    // Lower bounds on some arcs, within their capacities.
    for a in (7..net.arc_count()).step_by(997) {
        let upper = net.upper()[a];
        let lower = if upper == allocnet::flow::INFINITE {
            1
        } else {
            upper.min(2)
        };
        net.set_bounds(a as u32, lower, upper).unwrap();
    }
    let cold = NetworkSimplex::new(&net).unwrap().solve().unwrap();
    assert_eq!(cold.status, Status::Optimal);
    assert!(verify_solution(&net, &cold).is_empty());
    let reference = solve_with(&net, Engine::CostScaling).unwrap();
    assert_eq!(cold.cost, reference.cost);
    // Every way of building the solver gives the same bits.
    let owned = NetworkSimplex::from_network(net.clone()).unwrap().solve().unwrap();
    let mut reused = NetworkSimplex::new(&large_netgen(6)).unwrap();
    reused.solve().unwrap();
    reused.refill(&net).unwrap();
    let refilled = reused.solve().unwrap();
    for other in [&owned, &refilled] {
        assert_eq!(other.flows, cold.flows);
        assert_eq!(other.potentials, cold.potentials);
    }
    // Warm starts after changes named by input arc ids.
    let mut solver = NetworkSimplex::new(&net).unwrap();
    solver.solve().unwrap();
    for round in 0..3u32 {
        for a in (round as usize..net.arc_count()).step_by(700) {
            let cost = (net.costs()[a] * 3 + i64::from(round)) % 97 - 5;
            net.set_cost(a as u32, cost).unwrap();
            solver.set_cost(a as u32, cost).unwrap();
        }
        for a in (round as usize + 3..net.arc_count()).step_by(1_300) {
            let upper = net.upper()[a].min(50);
            net.set_bounds(a as u32, 0, upper).unwrap();
            solver.set_bounds(a as u32, 0, upper).unwrap();
        }
        let warm = solver.solve().unwrap();
        let fresh = NetworkSimplex::new(&net).unwrap().solve().unwrap();
        assert_eq!(warm.status, fresh.status, "round {round}");
        if warm.status == Status::Optimal {
            assert!(verify_solution(&net, &warm).is_empty(), "round {round}");
            assert_eq!(warm.cost, fresh.cost, "round {round}");
        }
    }
}

#[test]
fn mixed_arc_order_names_input_arcs_in_errors() {
    let mut net = large_netgen(7);
    net.set_bounds(12_345, -(1 << 62), 1 << 62).unwrap();
    let err = NetworkSimplex::new(&net).unwrap().solve().unwrap_err().to_string();
    assert!(err.contains("arc 12345:"), "{err}");
}
