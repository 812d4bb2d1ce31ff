//! Basis repair: the warm re-solve after supply and bound changes.
//!
//! After [`set_supply`](NetworkSimplex::set_supply) and
//! [`set_bounds`](NetworkSimplex::set_bounds) the old spanning tree's flows, recomputed
//! for the new data, may leave their bounds. The repair keeps every tree arc that
//! still carries a strongly feasible flow and *cuts* the others: a cut arc leaves the
//! tree at the bound its flow crossed (or touched), and the subtree below it hangs from
//! the root by its artificial arc, which carries the subtree's excess (up at cost 0,
//! or down at the artificial cost). The result is a strongly feasible tree that keeps
//! most of the old basis; the primal pivots (cheap: block search) then drive the
//! artificial flow out and re-optimise, exactly as after a cold start.
//!
//! Measured against a dual network simplex from the old basis (every pivot of which
//! must scan the arcs crossing a cut of the tree): on the round's item networks and on
//! generated networks the repair wins by far (`BENCHMARKS.md`, "Re-solve after stock
//! and need changes").

use super::{NetworkSimplex, TreeNode, DIR_DOWN, DIR_UP, INFINITE, STATE_LOWER, STATE_TREE, STATE_UPPER};

impl NetworkSimplex {
    /// Repairs the previous tree for the current supplies and bounds (see the module
    /// docs). `false` when a flow does not fit `i64` (then start cold).
    pub(super) fn repair_basis(&mut self) -> bool {
        let (n, m) = (self.node_count, self.arc_count);
        let root = n;
        for e in m..m + n {
            let cost = if self.ends.get(e).0 == root { self.art_cost } else { 0 };
            self.cost.set(e, cost);
        }
        let mut excess: Vec<i128> = self.tsupply.iter().map(|&s| i128::from(s)).collect();
        for a in 0..m {
            // Only arcs at their upper bound carry flow outside the tree.
            if self.state[a] != STATE_UPPER {
                continue;
            }
            if self.capacity(a) == INFINITE {
                self.set_state(a, STATE_LOWER);
                continue;
            }
            let f = i128::from(self.bound_flow(a));
            excess[self.tail(a)] -= f;
            excess[self.head(a)] += f;
        }
        let mut cut = false;
        // Reverse preorder visits every node after all of its descendants; the thread
        // is only rebuilt after the walk.
        let mut u = self.rev_thread[root] as usize;
        while u != root {
            let next = self.rev_thread[u] as usize;
            let ex = excess[u];
            let e = self.tree[u].pred as usize;
            if e >= m {
                if !self.hang_from_root(u, ex) {
                    return false;
                }
                u = next;
                continue;
            }
            let p = self.tree[u].parent as usize;
            let up = self.tree[u].dir == DIR_UP;
            let needed = if up { ex } else { -ex };
            let cap = i128::from(self.capacity(e));
            // Strongly feasible: within bounds, and a positive amount can move up.
            if 0 <= needed && needed <= cap && (if up { needed < cap } else { needed > 0 }) {
                self.tree[u].flow = needed as i64;
                self.tree[u].cap = cap as i64;
                excess[p] += ex;
            } else {
                // Cut: the arc leaves at the bound its flow crossed or touched.
                let to_upper = needed > 0 && needed >= cap;
                let b = if to_upper { cap } else { 0 };
                let out_of_u = if up { b } else { -b };
                excess[p] += out_of_u;
                self.set_state(e, if to_upper { STATE_UPPER } else { STATE_LOWER });
                self.state[m + u] = STATE_TREE;
                self.tree[u].parent = root as u32;
                self.tree[u].pred = (m + u) as u32;
                if !self.hang_from_root(u, ex - out_of_u) {
                    return false;
                }
                cut = true;
            }
            u = next;
        }
        if cut {
            self.rebuild_thread();
        }
        self.compute_potentials();
        true
    }

    /// Makes `u`'s artificial arc (its tree arc, `u` a child of the root) carry
    /// `excess` towards the root: up at cost 0 if non-negative, else down at the
    /// artificial cost. `false` if it does not fit `i64`.
    fn hang_from_root(&mut self, u: usize, excess: i128) -> bool {
        let (m, root) = (self.arc_count, self.node_count);
        let e = m + u;
        let Ok(flow) = i64::try_from(excess.abs()) else {
            return false;
        };
        let dir = if excess >= 0 {
            self.ends.set(e, u, root);
            self.cost.set(e, 0);
            DIR_UP
        } else {
            self.ends.set(e, root, u);
            self.cost.set(e, self.art_cost);
            DIR_DOWN
        };
        self.tree[u] = TreeNode {
            flow,
            cap: INFINITE,
            dir,
            ..self.tree[u]
        };
        true
    }

    /// Rebuilds thread, reverse thread, subtree sizes and last successors from the
    /// parents, children in the order of the old thread (deterministic).
    fn rebuild_thread(&mut self) {
        let n = self.node_count;
        let root = n;
        // Children lists (compressed), in old preorder.
        let mut start = vec![0u32; n + 3];
        let mut v = self.thread[root] as usize;
        while v != root {
            start[self.tree[v].parent as usize + 2] += 1;
            v = self.thread[v] as usize;
        }
        for i in 2..n + 3 {
            start[i] += start[i - 1];
        }
        let mut children = vec![0u32; n];
        let mut v = self.thread[root] as usize;
        while v != root {
            let p = self.tree[v].parent as usize;
            children[start[p + 1] as usize] = v as u32;
            start[p + 1] += 1;
            v = self.thread[v] as usize;
        }
        // Preorder from the root, first child first.
        let mut order: Vec<u32> = Vec::with_capacity(n + 1);
        let mut stack = vec![root as u32];
        while let Some(v) = stack.pop() {
            order.push(v);
            let v = v as usize;
            stack.extend(children[start[v] as usize..start[v + 1] as usize].iter().rev());
        }
        debug_assert_eq!(order.len(), n + 1, "the parents must form a tree");
        for i in 0..=n {
            let (a, b) = (order[i] as usize, order[(i + 1) % (n + 1)]);
            self.thread[a] = b;
            self.rev_thread[b as usize] = a as u32;
        }
        for &v in &order {
            self.tree[v as usize].succ_num = 1;
        }
        for &v in order[1..].iter().rev() {
            let p = self.tree[v as usize].parent as usize;
            self.tree[p].succ_num += self.tree[v as usize].succ_num;
        }
        for (i, &v) in order.iter().enumerate() {
            let size = self.tree[v as usize].succ_num as usize;
            self.last_succ[v as usize] = order[i + size - 1];
        }
    }
}
