use super::*;
use crate::{Dataset, Post, PostKind, NONE};

/// A dataset written post by post.
#[derive(Default)]
struct Builder {
    dataset: Dataset,
}

impl Builder {
    /// `content`: URLs, hashtags, text hash.
    fn post(
        &mut self,
        account: &str,
        time: i64,
        kind: PostKind,
        shared: Option<&str>,
        content: (&[&str], &[&str], u64),
    ) -> &mut Self {
        let (urls, tags, text_hash) = content;
        let d = &mut self.dataset;
        let account = d.account(account);
        let shared = shared.map_or(NONE, |s| d.objects.intern(s));
        let urls = urls.iter().map(|u| d.urls.intern(u)).collect();
        let hashtags = tags.iter().map(|t| d.tags.intern(t)).collect();
        d.push(Post {
            account,
            time,
            kind,
            shared,
            object: NONE,
            lang: NONE,
            text_hash,
            hashtags,
            urls,
        });
        self
    }

    fn rt(&mut self, account: &str, time: i64, shared: &str) -> &mut Self {
        self.post(
            account,
            time,
            PostKind::Retweet,
            Some(shared),
            (&[], &[], 0),
        )
    }

    fn done(&mut self) -> Dataset {
        let mut d = std::mem::take(&mut self.dataset);
        d.finish();
        d
    }
}

fn run(dataset: &Dataset) -> Coordination {
    coordination(dataset, &Params::default())
}

fn pair<'a>(c: &'a Coordination, x: &str, y: &str) -> Option<&'a Pair> {
    c.pairs
        .iter()
        .find(|p| (p.a.key == x && p.b.key == y) || (p.a.key == y && p.b.key == x))
}

#[test]
fn exactly_window_seconds_apart_counts_one_more_does_not() {
    // The toolkit joins with `between t - window and t + window`.
    let d = Builder::default()
        .rt("a", 0, "x")
        .rt("b", 10, "x")
        .rt("a", 100, "y")
        .rt("b", 90, "y")
        .rt("c", 1000, "x")
        .rt("d", 1011, "x")
        .rt("c", 2000, "y")
        .rt("d", 2011, "y")
        .done();
    let c = run(&d);
    assert_eq!(c.coordinated_pairs, 1);
    let p = pair(&c, "a", "b").expect("a and b");
    assert_eq!((p.a_posts, p.b_posts, p.weight), (2, 2, 2));
    assert_eq!(p.max_seconds, 10);
    assert!(pair(&c, "c", "d").is_none());
}

#[test]
fn an_account_never_pairs_with_itself() {
    let d = Builder::default()
        .rt("a", 0, "x")
        .rt("a", 1, "x")
        .rt("a", 50, "y")
        .rt("a", 52, "y")
        .done();
    let c = run(&d);
    assert_eq!(c.co_share_pairs, 0);
    assert_eq!(c.coordinated_pairs, 0);
    assert!(c.clusters.is_empty());
}

#[test]
fn co_sharing_once_is_not_coordination() {
    let d = Builder::default()
        .rt("a", 0, "x")
        .rt("b", 3, "x")
        .rt("a", 500, "y")
        .rt("b", 900, "y")
        .done();
    let c = run(&d);
    assert_eq!(c.co_share_pairs, 1);
    assert_eq!(c.coordinated_pairs, 0);
    assert_eq!(c.cluster_count, 0);
}

#[test]
fn sides_are_counted_per_post_as_the_toolkit_does() {
    // a retweets x twice around b's single retweet: two of a's posts
    // co-share with b, one of b's with a. The toolkit keeps a → b.
    let d = Builder::default()
        .rt("a", 0, "x")
        .rt("b", 3, "x")
        .rt("a", 6, "x")
        .done();
    let c = run(&d);
    let p = pair(&c, "a", "b").expect("coordinated through a's side");
    let (a_side, b_side) = if p.a.key == "a" {
        (p.a_posts, p.b_posts)
    } else {
        (p.b_posts, p.a_posts)
    };
    assert_eq!((a_side, b_side, p.weight), (2, 1, 2));
    assert_eq!(p.objects.shared_post, 1);
    // Instances: (a@0, b@3) and (a@6, b@3).
    assert_eq!(p.instances, 2);
}

#[test]
fn a_post_sharing_two_objects_with_a_partner_counts_once() {
    let d = Builder::default()
        .post("a", 0, PostKind::Original, None, (&["u1", "u2"], &[], 0))
        .post("b", 1, PostKind::Original, None, (&["u1", "u2"], &[], 0))
        .done();
    let c = run(&d);
    assert_eq!(c.co_share_pairs, 1);
    assert_eq!(c.coordinated_pairs, 0);
}

#[test]
fn clusters_merge_transitively() {
    // a–b and b–c are coordinated, a–c never co-share: one cluster of 3.
    let d = Builder::default()
        .rt("a", 0, "x")
        .rt("b", 5, "x")
        .rt("a", 100, "y")
        .rt("b", 105, "y")
        .rt("b", 1000, "z")
        .rt("c", 1004, "z")
        .rt("b", 2000, "w")
        .rt("c", 2001, "w")
        .rt("e", 5000, "v")
        .rt("f", 5000, "v")
        .rt("e", 6000, "u")
        .rt("f", 6002, "u")
        .done();
    let c = run(&d);
    assert_eq!(c.coordinated_pairs, 3);
    assert_eq!(c.cluster_count, 2);
    assert_eq!(c.largest_cluster, 3);
    let big = &c.clusters[0];
    assert_eq!((big.rank, big.size, big.edges), (1, 3, 2));
    assert_eq!(big.members[0].key, "b");
    assert_eq!(big.members[0].partners, 2);
    assert_eq!(big.members[0].posts, 4);
    assert_eq!(big.kinds.shared_post, 4);
    assert_eq!(big.instances, 4);
    // Seconds 5, 5, 4, 1: the lower median is 4.
    assert_eq!((big.median_seconds, big.max_seconds), (4, 5));
    assert_eq!((big.first_time, big.last_time), (0, 2001));
    assert_eq!(big.examples.len(), 2);
    assert_eq!(big.examples[0].object, "x");
    assert_eq!(
        (
            big.examples[0].a_time,
            big.examples[0].b_time,
            big.examples[0].seconds
        ),
        (0, 5, 5)
    );
    assert_eq!(big.links.len(), 2);
    assert!((big.density - 2.0 / 3.0).abs() < 1e-12);
    let small = &c.clusters[1];
    assert_eq!(
        (small.size, small.median_seconds, small.max_seconds),
        (2, 0, 2)
    );
    for p in &c.pairs {
        let cluster = if p.a.key == "e" || p.a.key == "f" {
            2
        } else {
            1
        };
        assert_eq!(p.cluster, cluster);
    }
}

#[test]
fn object_kinds_are_matched_and_reported_apart() {
    let mut b = Builder::default();
    // Same URL twice, authored: coordinated through URLs.
    b.post("a", 0, PostKind::Original, None, (&["http://l/1"], &[], 0))
        .post("b", 2, PostKind::Reply, None, (&["http://l/1"], &[], 0))
        .post(
            "a",
            100,
            PostKind::Quote,
            Some("q"),
            (&["http://l/2"], &[], 0),
        )
        .post(
            "b",
            101,
            PostKind::Original,
            None,
            (&["http://l/2"], &[], 0),
        );
    // A retweet's URL is the retweeted post's: not a co-share.
    b.post(
        "c",
        0,
        PostKind::Retweet,
        Some("r1"),
        (&["http://l/1"], &[], 0),
    )
    .post(
        "c",
        100,
        PostKind::Retweet,
        Some("r2"),
        (&["http://l/2"], &[], 0),
    );
    // Hashtag sequences: two tags in the same order; one tag is not enough.
    b.post(
        "d",
        500,
        PostKind::Original,
        None,
        (&[], &["leak", "now"], 0),
    )
    .post(
        "e",
        505,
        PostKind::Original,
        None,
        (&[], &["leak", "now"], 0),
    )
    .post("d", 700, PostKind::Original, None, (&[], &["a", "b"], 0))
    .post("e", 701, PostKind::Original, None, (&[], &["a", "b"], 0))
    .post(
        "f",
        500,
        PostKind::Original,
        None,
        (&[], &["now", "leak"], 0),
    )
    .post("f", 700, PostKind::Original, None, (&[], &["b", "a"], 0))
    .post("g", 500, PostKind::Original, None, (&[], &["leak"], 0))
    .post("h", 501, PostKind::Original, None, (&[], &["leak"], 0))
    .post("g", 700, PostKind::Original, None, (&[], &["a"], 0))
    .post("h", 701, PostKind::Original, None, (&[], &["a"], 0));
    // Near-identical text.
    b.post("i", 900, PostKind::Original, None, (&[], &[], 77))
        .post("j", 909, PostKind::Original, None, (&[], &[], 77))
        .post("i", 990, PostKind::Original, None, (&[], &[], 78))
        .post("j", 980, PostKind::Original, None, (&[], &[], 78));
    let d = b.done();
    let c = run(&d);
    let urls = pair(&c, "a", "b").expect("urls");
    assert_eq!(urls.objects.url, 2);
    assert_eq!(urls.objects.shared_post, 0);
    assert!(pair(&c, "a", "c").is_none() && pair(&c, "b", "c").is_none());
    let tags = pair(&c, "d", "e").expect("hashtag sequences");
    assert_eq!(tags.objects.hashtag_sequence, 2);
    assert_eq!(tags.first.object, "#leak #now");
    assert!(pair(&c, "d", "f").is_none() && pair(&c, "g", "h").is_none());
    let text = pair(&c, "i", "j").expect("text");
    assert_eq!(text.objects.text, 2);
    assert!(text.first.object.starts_with("text 000000000000004d"));
    assert_eq!(c.coordinated_pairs, 3);
    let kinds: Vec<(ObjectKind, u64, u64)> = c
        .objects
        .iter()
        .map(|k| (k.kind, k.posts, k.objects))
        .collect();
    assert_eq!(
        kinds,
        vec![
            (ObjectKind::SharedPost, 3, 0),
            (ObjectKind::Url, 4, 2),
            (ObjectKind::HashtagSequence, 6, 2),
            (ObjectKind::Text, 4, 2),
        ]
    );
}

/// A ring of 5 accounts retweeting the same 3 posts within seconds, and a
/// tweet that 1,500 accounts retweet within 10 seconds.
fn ring_and_burst() -> Dataset {
    let mut b = Builder::default();
    for post in 0..3 {
        for member in 0..5 {
            b.rt(
                &format!("ring{member}"),
                10_000 * (post + 1) + member,
                &format!("seed{post}"),
            );
        }
    }
    for i in 0..1_500 {
        b.rt(&format!("crowd{i}"), 50_000 + i % 10, "viral");
    }
    // The crowd also retweets a second post within seconds: without the
    // guard, 1,500 × 1,499 / 2 coordinated pairs.
    for i in 0..1_500 {
        b.rt(&format!("crowd{i}"), 90_000 + i % 10, "viral2");
    }
    b.done()
}

#[test]
fn a_burst_past_the_per_object_bound_is_left_out_and_named() {
    let d = ring_and_burst();
    let params = Params {
        max_pairs_per_object: 1_000_000,
        ..Params::default()
    };
    let c = coordination(&d, &params);
    assert_eq!(c.guard.objects_left_out, 2);
    assert_eq!(c.guard.shares_left_out, 3_000);
    assert_eq!(c.guard.pairs_left_out, 2 * 1_500 * 1_499 / 2);
    let named: Vec<&str> = c.guard.left_out.iter().map(|l| l.object.as_str()).collect();
    assert_eq!(named, vec!["viral", "viral2"]);
    assert_eq!(c.guard.left_out[0].accounts, 1_500);
    assert_eq!(c.guard.left_out[0].peak, 1_500);
    assert_eq!(c.coordinated_pairs, 10);
    assert_eq!(c.cluster_count, 1);
    assert_eq!(c.clusters[0].size, 5);
    assert_eq!(c.guard.pairs_walked, 3 * 10);
}

#[test]
fn the_total_budget_leaves_out_the_largest_objects_first() {
    let d = ring_and_burst();
    let params = Params {
        max_pairs_total: 2_000_000,
        ..Params::default()
    };
    let c = coordination(&d, &params);
    // Both bursts fit the per-object bound; together they do not fit the
    // budget, so the larger (by id on ties: the first interned) goes.
    assert_eq!(c.guard.objects_left_out, 1);
    assert_eq!(c.guard.left_out[0].object, "viral");
    // One burst left: the crowd co-shared once, not coordinated.
    assert_eq!(c.coordinated_pairs, 10);
    assert_eq!(c.co_share_pairs, 10 + 1_500 * 1_499 / 2);
}

#[test]
fn unsorted_posts_give_the_same_answer() {
    let mut b = Builder::default();
    b.rt("b", 105, "y")
        .rt("a", 0, "x")
        .rt("a", 100, "y")
        .rt("b", 5, "x");
    let unsorted = std::mem::take(&mut b.dataset);
    let sorted = Builder::default()
        .rt("b", 105, "y")
        .rt("a", 0, "x")
        .rt("a", 100, "y")
        .rt("b", 5, "x")
        .done();
    let (x, y) = (run(&unsorted), run(&sorted));
    assert_eq!(x.coordinated_pairs, 1);
    assert_eq!(
        serde_json::to_string(&x).unwrap(),
        serde_json::to_string(&y).unwrap()
    );
}

#[test]
fn listing_caps_keep_counts_complete() {
    let d = ring_and_burst();
    let params = Params {
        max_pairs_listed: 3,
        max_clusters_listed: 0,
        max_pairs_per_object: 1_000_000,
        ..Params::default()
    };
    let c = coordination(&d, &params);
    assert_eq!(c.pairs.len(), 3);
    assert!(c.pairs_truncated);
    assert_eq!(c.coordinated_pairs, 10);
    assert!(c.clusters.is_empty() && c.clusters_truncated);
    assert_eq!(c.cluster_count, 1);
}

#[test]
fn the_json_defines_its_terms() {
    let d = ring_and_burst();
    let json = serde_json::to_value(run(&d)).unwrap();
    for term in [
        "co_share",
        "weight",
        "cluster",
        "guard",
        "similarity",
        "median_seconds",
    ] {
        assert!(json["definitions"][term].is_string(), "{term}");
    }
}

/// Co-retweet similarity: four accounts retweet the same twelve posts
/// hours apart (never within a window); organic accounts retweet from a
/// large pool; one account only retweets itself.
fn slow_ring() -> Dataset {
    let mut b = Builder::default();
    for post in 0..12 {
        for member in 0..4 {
            b.rt(
                &format!("slow{member}"),
                100_000 * post + 3_600 * member,
                &format!("s{post}"),
            );
        }
    }
    // Organic: each retweets 12 of 200 posts drawn at random.
    let mut seed = 12345u64;
    for account in 0..40i64 {
        for k in 0..12i64 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let post = (seed >> 33) % 200;
            b.rt(
                &format!("org{account}"),
                1_000_000 + account * 1_000 + k * 50,
                &format!("o{post}"),
            );
        }
    }
    // Few retweets: below min_retweets, never compared.
    for post in 0..5 {
        b.rt("light", 2_000_000 + post, &format!("s{post}"));
    }
    b.done()
}

#[test]
fn co_retweet_similarity_finds_the_slow_ring() {
    let d = slow_ring();
    let c = run(&d);
    assert_eq!(c.coordinated_pairs, 0, "hours apart: no co-share");
    let s = &c.similarity;
    assert_eq!(s.accounts, 44);
    assert_eq!(s.group_count, 1);
    assert_eq!(s.largest_group, 4);
    assert_eq!(s.similar_pairs, 6);
    let group = &s.groups[0];
    let members: Vec<&str> = group.members.iter().map(|m| m.key.as_str()).collect();
    assert_eq!(members, vec!["slow0", "slow1", "slow2", "slow3"]);
    assert!((group.min_similarity - 1.0).abs() < 1e-9);
    assert_eq!(group.posts[0].accounts, 4);
    assert_eq!(s.pairs[0].common_posts, 12);
    assert!(s.similar_share > 0.0 && s.similar_share < 1.0);
}

#[test]
fn similarity_leaves_out_self_retweets_and_light_accounts() {
    let mut d = slow_ring();
    // slow3 wrote s0..s11 itself: its retweets of them are self-retweets,
    // so it falls below min_retweets.
    let slow3 = d.account_by_key("slow3").unwrap();
    for post in 0..12 {
        let id = d.objects.get(&format!("s{post}")).unwrap();
        d.object_authors.insert(id, slow3);
    }
    let c = run(&d);
    assert_eq!(c.similarity.accounts, 43);
    assert_eq!(c.similarity.largest_group, 3);
}

#[test]
fn similarity_is_exact_when_popular_posts_leave_the_index() {
    let mut b = Builder::default();
    // Everybody retweets p0..p4; the ring also shares r0..r5, the others
    // each their own posts (kept: min_accounts_per_post 1). With a tiny
    // budget p0..p4 leave the index but still weigh in the cosine.
    for account in 0..30 {
        for post in 0..5 {
            b.rt(
                &format!("acc{account}"),
                account * 10_000 + post * 100,
                &format!("p{post}"),
            );
        }
        for post in 0..6 {
            let name = if account < 3 {
                format!("r{post}")
            } else {
                format!("own{account}-{post}")
            };
            b.rt(
                &format!("acc{account}"),
                account * 10_000 + 5_000 + post * 100,
                &name,
            );
        }
    }
    let d = b.done();
    let full = run(&d).similarity;
    let tight = coordination(
        &d,
        &Params {
            similarity: SimilarityParams {
                max_work: 20,
                threshold: 0.5,
                min_accounts_per_post: 1,
                ..SimilarityParams::default()
            },
            ..Params::default()
        },
    )
    .similarity;
    let loose = coordination(
        &d,
        &Params {
            similarity: SimilarityParams {
                threshold: 0.5,
                min_accounts_per_post: 1,
                ..SimilarityParams::default()
            },
            ..Params::default()
        },
    )
    .similarity;
    assert_eq!(full.posts_left_out, 0);
    assert_eq!(tight.posts_left_out, 5);
    assert_eq!(tight.max_indexed_accounts_per_post, 3);
    assert_eq!(loose.similar_pairs, 3);
    assert_eq!(tight.similar_pairs, 3);
    for (x, y) in tight.pairs.iter().zip(&loose.pairs) {
        assert_eq!((&x.a.key, &x.b.key), (&y.a.key, &y.b.key));
        assert!((x.similarity - y.similarity).abs() < 1e-12);
        assert_eq!(x.common_posts, 11);
    }
}

#[test]
fn louvain_separates_two_cliques_joined_by_one_edge() {
    let mut edges = Vec::new();
    for (base, size) in [(0u32, 6u32), (6, 5)] {
        for i in 0..size {
            for j in i + 1..size {
                edges.push((base + i, base + j, 3.0));
            }
        }
    }
    edges.push((5, 6, 1.0));
    let (community, modularity) = super::community::louvain(11, &edges);
    assert_eq!(community, vec![0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
    assert!(modularity > 0.4, "{modularity}");
}

#[test]
fn a_ring_chained_to_a_crowd_is_its_own_community() {
    // A ring of 8 co-sharing 6 posts; a chain of pairs hanging off it,
    // each co-sharing twice with the next.
    let mut b = Builder::default();
    for post in 0..6 {
        for member in 0..8 {
            b.rt(
                &format!("ring{member}"),
                10_000 * post + member,
                &format!("seed{post}"),
            );
        }
    }
    let mut previous = "ring0".to_owned();
    for link in 0..8 {
        let next = format!("chain{link}");
        for k in 0..2 {
            let object = format!("link{link}-{k}");
            let at = 1_000_000 + 1_000 * (2 * link + k);
            b.rt(&previous, at, &object).rt(&next, at + 1, &object);
        }
        previous = next;
    }
    let d = b.done();
    let c = coordination(
        &d,
        &Params {
            min_community_split: 10,
            ..Params::default()
        },
    );
    assert_eq!(c.cluster_count, 1);
    let cluster = &c.clusters[0];
    assert_eq!(cluster.size, 16);
    assert!(cluster.modularity.unwrap() > 0.0);
    let ring: Vec<&str> = cluster.communities[0]
        .members
        .iter()
        .map(|&i| cluster.members[i as usize].key.as_str())
        .collect();
    assert_eq!(ring.len(), 8, "{ring:?}");
    assert!(ring.iter().all(|k| k.starts_with("ring")), "{ring:?}");
    assert_eq!(cluster.communities[0].edges, 28);
}

#[test]
fn an_empty_collection_has_nothing_to_say() {
    let mut d = Dataset::default();
    d.account("lonely");
    let c = run(&d);
    assert_eq!(
        (c.co_share_pairs, c.coordinated_pairs, c.cluster_count),
        (0, 0, 0)
    );
    assert_eq!(c.largest_cluster, 0);
    assert_eq!((c.similarity.accounts, c.similarity.group_count), (0, 0));
}
