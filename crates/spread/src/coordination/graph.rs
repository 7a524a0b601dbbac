//! Connected components of an account graph given as edges: what CooRTweet
//! and the coordination-network-toolkit report as coordinated networks.

/// Union-find with path halving and union by size.
pub(crate) struct Components {
    parent: Vec<u32>,
    size: Vec<u32>,
}

impl Components {
    pub fn new(n: usize) -> Components {
        Components {
            parent: (0..n as u32).collect(),
            size: vec![1; n],
        }
    }

    pub fn find(&mut self, mut x: u32) -> u32 {
        while self.parent[x as usize] != x {
            let grand = self.parent[self.parent[x as usize] as usize];
            self.parent[x as usize] = grand;
            x = grand;
        }
        x
    }

    pub fn union(&mut self, a: u32, b: u32) {
        let (mut a, mut b) = (self.find(a), self.find(b));
        if a == b {
            return;
        }
        if self.size[a as usize] < self.size[b as usize] {
            std::mem::swap(&mut a, &mut b);
        }
        self.parent[b as usize] = a;
        self.size[a as usize] += self.size[b as usize];
    }
}

/// Groups of the nodes touched by `edges` (nodes are `0..n`), each group's
/// nodes ascending, and for each edge the index of its group. Groups come
/// in order of their smallest node; callers sort them as they need.
pub(crate) fn components(n: usize, edges: &[(u32, u32)]) -> (Vec<Vec<u32>>, Vec<u32>) {
    let mut uf = Components::new(n);
    for &(a, b) in edges {
        uf.union(a, b);
    }
    let mut group_of_root = vec![u32::MAX; n];
    let mut groups: Vec<Vec<u32>> = Vec::new();
    let mut touched = vec![false; n];
    for &(a, b) in edges {
        touched[a as usize] = true;
        touched[b as usize] = true;
    }
    for node in 0..n as u32 {
        if !touched[node as usize] {
            continue;
        }
        let root = uf.find(node) as usize;
        if group_of_root[root] == u32::MAX {
            group_of_root[root] = groups.len() as u32;
            groups.push(Vec::new());
        }
        groups[group_of_root[root] as usize].push(node);
    }
    let edge_group = edges
        .iter()
        .map(|&(a, _)| group_of_root[uf.find(a) as usize])
        .collect();
    (groups, edge_group)
}
