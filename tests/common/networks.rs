//! Random min-cost flow networks for the property tests of the flow engines.

use allocnet::flow::{Network, INFINITE};
use proptest::prelude::*;

/// A random network: up to 9 nodes and 4 arcs per node, parallel arcs and self-loops
/// possible, negative costs, some lower bounds, some infinite capacities, supplies
/// that usually balance, and half the time an expensive uncapacitated ring.
pub fn network() -> impl Strategy<Value = Network> {
    (1usize..10).prop_flat_map(|n| {
        let arc = (
            0..n as u32,
            0..n as u32,
            -3i64..4,
            0i64..20,
            prop::bool::weighted(0.2),
            -3i64..20,
        );
        let arcs = prop::collection::vec(arc, 0..=4 * n);
        let supplies = prop::collection::vec(-6i64..7, n);
        (arcs, supplies, prop::bool::weighted(0.9), prop::bool::weighted(0.5)).prop_map(
            move |(arcs, mut supplies, balanced, ring)| {
                if balanced {
                    let sum: i64 = supplies.iter().sum();
                    supplies[0] -= sum;
                }
                let mut net = Network::with_nodes(n);
                for (v, s) in supplies.into_iter().enumerate() {
                    net.set_supply(v as u32, s).unwrap();
                }
                for (t, h, lo, span, infinite, cost) in arcs {
                    let lower = if lo > 0 { lo } else { 0 };
                    let upper = if infinite { INFINITE } else { lower + span };
                    net.add_arc_with_bounds(t, h, lower, upper, cost);
                }
                if ring {
                    // An expensive uncapacitated ring makes every balanced instance
                    // without lower-bound conflicts feasible.
                    for v in 0..n as u32 {
                        net.add_arc(v, (v + 1) % n as u32, INFINITE, 25);
                    }
                }
                net
            },
        )
    })
}
