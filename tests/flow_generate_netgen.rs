//! The NETGEN port against the published C generator (N. Schlenker's version with
//! the DIMACS patches): for each parameter set below, the C program's DIMACS output
//! was read back (0-based nodes; an assignment problem with supplies ±1 and unit
//! capacities) and hashed as `checksum` hashes the port's network. Equal checksums mean the
//! same nodes, supplies and arcs in the same order. The sets cover transshipment
//! sources and sinks, high-cost and partly capacitated skeletons, negative costs, a
//! transportation and an assignment problem, and one source and sink.
//!
//! How the references were made: `gcc -DDIMACS netgen.c index.c random.c`, then
//! `printf 'SEED 1 P1 ... P13\n0\n' | ./netgen`.

use allocnet::flow::generate::{netgen_classic, ClassicNetgenParams};
use allocnet::flow::{Network, NetworkSimplex, Status};

/// FNV-1a over `n, m, supplies…, (tail, head, upper, cost) per arc` as little-endian i64.
fn checksum(net: &Network) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |v: i64| {
        for b in v.to_le_bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x100_0000_01b3);
        }
    };
    feed(net.node_count() as i64);
    feed(net.arc_count() as i64);
    net.supplies().iter().for_each(|&s| feed(s));
    for a in 0..net.arc_count() {
        feed(i64::from(net.tails()[a]));
        feed(i64::from(net.heads()[a]));
        feed(net.upper()[a]);
        feed(net.costs()[a]);
    }
    h
}

fn params(p: [i64; 13]) -> ClassicNetgenParams {
    ClassicNetgenParams {
        nodes: p[0],
        sources: p[1],
        sinks: p[2],
        arcs: p[3],
        min_cost: p[4],
        max_cost: p[5],
        supply: p[6],
        transshipment_sources: p[7],
        transshipment_sinks: p[8],
        high_cost_percent: p[9],
        capacitated_percent: p[10],
        min_capacity: p[11],
        max_capacity: p[12],
    }
}

/// (seed, the 13 parameters, nodes, arcs, checksum of the C generator's output).
const REFERENCES: [(i64, [i64; 13], usize, usize, u64); 7] = [
    (
        13502460,
        [1024, 32, 32, 8192, 1, 10000, 32000, 0, 0, 30, 100, 1, 1000],
        1024,
        8192,
        0xd53a4c8ba2a6ec1d,
    ),
    (
        4,
        [200, 100, 100, 1300, 1, 100, 100000, 0, 0, 0, 0, 0, 0],
        200,
        1309,
        0x7e2810c494189b61,
    ),
    (
        5,
        [400, 8, 60, 1500, 1, 100, 4000, 2, 3, 30, 40, 10, 500],
        400,
        1500,
        0xab11fbc7eb574e8e,
    ),
    (
        6,
        [300, 150, 150, 4500, 1, 50, 150, 0, 0, 0, 0, 0, 0],
        300,
        4500,
        0x3f2e60649dcdb45e,
    ),
    (
        7,
        [1000, 50, 50, 6000, -20, 80, 20000, 10, 10, 25, 70, 5, 300],
        1000,
        6000,
        0x0ecd15ee3ecb8da0,
    ),
    (
        8,
        [5000, 20, 20, 23000, 1, 1000, 1000000, 0, 0, 10, 50, 100, 20000],
        5000,
        23000,
        0x6de13c68c22240ec,
    ),
    (
        9,
        [100, 1, 1, 700, 1, 10, 50, 0, 0, 50, 50, 1, 20],
        100,
        700,
        0x54d77781055ba4e0,
    ),
];

#[test]
fn the_port_reproduces_the_published_generator() {
    for (seed, p, nodes, arcs, expected) in REFERENCES {
        let net = netgen_classic(&params(p), seed).unwrap();
        assert_eq!((net.node_count(), net.arc_count()), (nodes, arcs), "seed {seed}");
        assert_eq!(checksum(&net), expected, "seed {seed}: {p:?}");
    }
}

#[test]
fn generated_instances_are_balanced_and_solvable() {
    for (seed, p, ..) in REFERENCES {
        let net = netgen_classic(&params(p), seed).unwrap();
        assert_eq!(net.supply_balance(), 0);
        let s = NetworkSimplex::new(&net).unwrap().solve().unwrap();
        assert_eq!(s.status, Status::Optimal, "seed {seed}");
    }
}

#[test]
fn bad_parameters_name_their_field() {
    let mut p = ClassicNetgenParams::sparse(100);
    p.sinks = 0;
    p.high_cost_percent = 101;
    let err = netgen_classic(&p, 1).unwrap_err().to_string();
    assert!(
        err.contains("netgen.sinks") && err.contains("netgen.high_cost_percent"),
        "{err}"
    );
    let err = netgen_classic(&ClassicNetgenParams::sparse(100), 0)
        .unwrap_err()
        .to_string();
    assert!(err.contains("netgen.seed"), "{err}");
}
