//! The county round's item networks as plain [`Network`]s, for the benchmarks and
//! tests of network-simplex re-solves (`benches/flow_warm.rs`). Hidden from the docs:
//! not part of the stable API; the round itself builds them in `item_network.rs`.

use super::item_network::ItemNetwork;
use super::lexicographic::chunk_weights;
use super::reasons::LaneGraph;
use crate::error::Result;
use crate::flow::{Engine, Network};
use crate::model::Scenario;

/// One item network of the round, with the costs of its first solve.
#[derive(Clone, Debug)]
pub struct RoundNetwork {
    /// Item id.
    pub item: String,
    /// True for the single weighted solve; false for the first chunk of the
    /// level-by-level sequence.
    pub weighted: bool,
    /// The network: lane costs in 0.1 km (0 when not `weighted`), level arcs at minus
    /// their level weight (0 for levels outside the chunk).
    pub network: Network,
    /// The sink node (supply: minus the total giveable stock).
    pub sink: u32,
    /// Donor sites: their send node (supply: giveable stock) and the arcs whose
    /// capacity is that stock (surplus arc, own-use arc).
    pub donors: Vec<Donor>,
    /// Need arcs (receive node → level collector): arc and local site.
    pub need_arcs: Vec<(u32, usize)>,
}

/// A site with giveable stock in a [`RoundNetwork`].
#[derive(Clone, Debug)]
pub struct Donor {
    /// Local site index.
    pub site: usize,
    /// Its send node.
    pub node: u32,
    /// Arcs with capacity = its giveable stock.
    pub stock_arcs: Vec<u32>,
}

/// Every item network the county round solves for `scenario` (one per item and
/// connected part of the lane graph with stock or need), with the costs of its first
/// solve: the weighted single solve where its weights fit, else the first chunk of
/// levels of the level-by-level sequence (lanes at cost 0).
pub fn round_networks(scenario: &Scenario) -> Result<Vec<RoundNetwork>> {
    let resolved = scenario.resolve()?;
    let graph = LaneGraph::new(&resolved);
    let mut out = Vec::new();
    for item in 0..resolved.item_count() {
        for (sites, lanes) in &graph.parts {
            let inet = ItemNetwork::build(&resolved, item, sites, lanes)?;
            if inet.supply_total == 0 && inet.level_arcs.is_empty() {
                continue;
            }
            let active: Vec<usize> = (0..inet.level_count()).filter(|&l| inet.level_caps[l] > 0).collect();
            let (levels, weights, weighted) = first_solve(&inet, &active);
            out.push(with_costs(
                &resolved.scenario.items[item].id,
                inet,
                &levels,
                &weights,
                weighted,
            )?);
        }
    }
    Ok(out)
}

/// The levels and weights of the round's first solve of `inet`, and whether it is the
/// single weighted solve (with transport) — as `lexicographic::plan_chunks` plans it.
fn first_solve(inet: &ItemNetwork, active: &[usize]) -> (Vec<usize>, Vec<i64>, bool) {
    if let Some((weights, _)) = chunk_weights(inet, active, true, Engine::Simplex) {
        return (active.to_vec(), weights, true);
    }
    let fits = |levels: &[usize]| chunk_weights(inet, levels, false, Engine::Simplex);
    let mut j = 1.min(active.len());
    while j < active.len() && fits(&active[..=j]).is_some() {
        j += 1;
    }
    let levels = active[..j].to_vec();
    let weights = fits(&levels).map_or_else(|| vec![1; levels.len()], |(w, _)| w);
    (levels, weights, false)
}

fn with_costs(
    item: &str,
    inet: ItemNetwork,
    active: &[usize],
    weights: &[i64],
    weighted: bool,
) -> Result<RoundNetwork> {
    let mut network = inet.net;
    if !weighted {
        for lane in 0..inet.lane_count {
            network.set_cost(lane as u32, 0)?;
        }
    }
    for la in &inet.level_arcs {
        let w = active.iter().position(|&l| l == la.level).map_or(0, |i| weights[i]);
        network.set_cost(la.arc, -w)?;
    }
    let mut donors: Vec<Donor> = inet
        .surplus_arcs
        .iter()
        .map(|&(site, arc)| Donor {
            site,
            node: network.tails()[arc as usize],
            stock_arcs: vec![arc],
        })
        .collect();
    for &(site, arc) in &inet.own_arcs {
        if let Some(d) = donors.iter_mut().find(|d| d.site == site) {
            d.stock_arcs.push(arc);
        }
    }
    Ok(RoundNetwork {
        item: item.to_string(),
        weighted,
        network,
        sink: inet.sink,
        donors,
        need_arcs: inet.level_arcs.iter().map(|la| (la.arc, la.site)).collect(),
    })
}
