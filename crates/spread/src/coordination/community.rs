//! Communities inside a large cluster (Louvain: Blondel et al. 2008).
//!
//! A connected component is what CooRTweet reports, but one shared
//! burst can chain a tight ring to thousands of accounts that met it once
//! or twice; modularity classes show the ring inside. Deterministic: nodes
//! are visited in index order and ties keep the node where it is, or go to
//! the lowest community.

/// A weighted undirected graph as adjacency lists; each edge is listed
/// from both ends; self loops (the inside of an aggregated community) are
/// kept apart.
struct Graph {
    start: Vec<usize>,
    adj: Vec<(u32, f64)>,
    self_loop: Vec<f64>,
    degree: Vec<f64>,
}

impl Graph {
    fn from_edges(n: usize, edges: &[(u32, u32, f64)], self_loop: Vec<f64>) -> Graph {
        let mut start = vec![0usize; n + 1];
        for &(a, b, _) in edges {
            start[a as usize + 1] += 1;
            start[b as usize + 1] += 1;
        }
        for i in 0..n {
            start[i + 1] += start[i];
        }
        let mut adj = vec![(0u32, 0f64); start[n]];
        let mut cursor = start.clone();
        for &(a, b, w) in edges {
            adj[cursor[a as usize]] = (b, w);
            cursor[a as usize] += 1;
            adj[cursor[b as usize]] = (a, w);
            cursor[b as usize] += 1;
        }
        let degree = (0..n)
            .map(|i| {
                adj[start[i]..start[i + 1]].iter().map(|e| e.1).sum::<f64>() + 2.0 * self_loop[i]
            })
            .collect();
        Graph {
            start,
            adj,
            self_loop,
            degree,
        }
    }

    fn len(&self) -> usize {
        self.degree.len()
    }

    fn neighbours(&self, i: usize) -> &[(u32, f64)] {
        &self.adj[self.start[i]..self.start[i + 1]]
    }
}

/// One level of local moving; the community of each node, and whether
/// any node moved.
fn local_moving(graph: &Graph, m2: f64) -> (Vec<u32>, bool) {
    let n = graph.len();
    let mut community: Vec<u32> = (0..n as u32).collect();
    let mut total = graph.degree.clone();
    let mut weight_to = vec![0f64; n];
    let mut near: Vec<u32> = Vec::new();
    let mut moved = false;
    for _pass in 0..64 {
        let mut moved_now = false;
        for i in 0..n {
            let own = community[i];
            let k = graph.degree[i];
            for &(j, w) in graph.neighbours(i) {
                let c = community[j as usize];
                if weight_to[c as usize] == 0.0 {
                    near.push(c);
                }
                weight_to[c as usize] += w;
            }
            total[own as usize] -= k;
            let gain = |c: u32| weight_to[c as usize] - total[c as usize] * k / m2;
            let mut best = own;
            let mut best_gain = gain(own);
            for &c in &near {
                let g = gain(c);
                if g > best_gain + 1e-12 || (g >= best_gain - 1e-12 && c < best && best != own) {
                    best = c;
                    best_gain = g;
                }
            }
            total[best as usize] += k;
            if best != own {
                community[i] = best;
                moved_now = true;
            }
            for &c in &near {
                weight_to[c as usize] = 0.0;
            }
            near.clear();
        }
        if !moved_now {
            break;
        }
        moved = true;
    }
    (community, moved)
}

/// Communities `0..` (numbered by their lowest node) of the nodes `0..n`
/// of the graph `edges` (positive weights), and the partition's modularity.
pub(crate) fn louvain(n: usize, edges: &[(u32, u32, f64)]) -> (Vec<u32>, f64) {
    let m2: f64 = 2.0 * edges.iter().map(|e| e.2).sum::<f64>();
    let mut of_node: Vec<u32> = (0..n as u32).collect();
    if m2 == 0.0 {
        return (of_node, 0.0);
    }
    let mut graph = Graph::from_edges(n, edges, vec![0.0; n]);
    loop {
        let (community, moved) = local_moving(&graph, m2);
        if !moved {
            break;
        }
        let mut renumber = vec![u32::MAX; graph.len()];
        let mut count = 0u32;
        for &c in &community {
            if renumber[c as usize] == u32::MAX {
                renumber[c as usize] = count;
                count += 1;
            }
        }
        for x in &mut of_node {
            *x = renumber[community[*x as usize] as usize];
        }
        let mut self_loop = vec![0f64; count as usize];
        let mut between: Vec<(u32, u32, f64)> = Vec::new();
        for i in 0..graph.len() {
            let ci = renumber[community[i] as usize];
            self_loop[ci as usize] += graph.self_loop[i];
            for &(j, w) in graph.neighbours(i) {
                let cj = renumber[community[j as usize] as usize];
                if ci == cj {
                    // Listed from both ends: half each time.
                    self_loop[ci as usize] += w / 2.0;
                } else if ci < cj {
                    between.push((ci, cj, w));
                }
            }
        }
        between.sort_unstable_by_key(|e| (e.0, e.1));
        let mut merged: Vec<(u32, u32, f64)> = Vec::with_capacity(between.len());
        for e in between {
            match merged.last_mut() {
                Some(last) if (last.0, last.1) == (e.0, e.1) => last.2 += e.2,
                _ => merged.push(e),
            }
        }
        graph = Graph::from_edges(count as usize, &merged, self_loop);
    }
    // Renumber by lowest node, for output that reads the same each run.
    let mut renumber = vec![u32::MAX; n];
    let mut count = 0;
    for x in &mut of_node {
        if renumber[*x as usize] == u32::MAX {
            renumber[*x as usize] = count;
            count += 1;
        }
        *x = renumber[*x as usize];
    }
    let mut inside = vec![0f64; count as usize];
    let mut degree = vec![0f64; count as usize];
    for &(a, b, w) in edges {
        let (ca, cb) = (of_node[a as usize], of_node[b as usize]);
        if ca == cb {
            inside[ca as usize] += w;
        }
        degree[ca as usize] += w;
        degree[cb as usize] += w;
    }
    let modularity = (0..count as usize)
        .map(|c| 2.0 * inside[c] / m2 - (degree[c] / m2).powi(2))
        .sum();
    (of_node, modularity)
}
