//! The coordination part of the report: the groups, drawn and tabled,
//! with the evidence a reader can check (who, what they shared, how many
//! seconds apart).

use super::charts::{self, Group};
use super::{duration, name};
use crate::coordination::{Cluster, Coordination, KindCounts};
use crate::measure::time::utc;
use std::fmt::Write;
use tamis_html::escape::{clip, html as esc};
use tamis_html::numbers::{plural, thousands};

/// Clusters drawn in the network figure.
const CLUSTERS_DRAWN: usize = 12;
/// Members of one cluster drawn: a ring of thousands of dots is a grey disc.
const MEMBERS_DRAWN: usize = 40;
/// Clusters given a table of their own.
const CLUSTERS_TABLED: usize = 20;

pub fn coordination_text(out: &mut String, c: &Coordination) -> std::fmt::Result {
    writeln!(
        out,
        "\nCoordination (same object within {} s, at least {} times): {} pairs of {} accounts in {} clusters; largest {}",
        c.window_seconds,
        c.min_co_shares,
        thousands(c.coordinated_pairs),
        thousands(c.coordinated_accounts),
        thousands(c.cluster_count),
        thousands(c.largest_cluster)
    )?;
    for cluster in c.clusters.iter().take(5) {
        let members: Vec<String> = cluster
            .members
            .iter()
            .take(6)
            .map(|m| name(&m.key, m.screen_name.as_deref()))
            .collect();
        writeln!(
            out,
            "  #{}: {} accounts, {} co-shared ({}), median {} s apart: {}{}",
            cluster.rank,
            cluster.size,
            plural(cluster.objects_total, "object", "objects"),
            kinds(&cluster.kinds),
            cluster.median_seconds,
            members.join(", "),
            if cluster.members.len() > 6 {
                ", …"
            } else {
                ""
            }
        )?;
    }
    if c.guard.objects_left_out > 0 {
        writeln!(
            out,
            "  {} objects shared by too many accounts at once were left out of pairing (see the JSON)",
            thousands(c.guard.objects_left_out)
        )?;
    }
    let s = &c.similarity;
    writeln!(
        out,
        "Co-retweet similarity (cosine ≥ {}): {} similar pairs in {} groups; largest {}",
        s.threshold,
        thousands(s.similar_pairs),
        thousands(s.group_count),
        thousands(s.largest_group)
    )
}

fn kinds(k: &KindCounts) -> String {
    let parts: Vec<String> = [
        (k.shared_post, "shared post", "shared posts"),
        (k.url, "URL", "URLs"),
        (k.hashtag_sequence, "hashtag sequence", "hashtag sequences"),
        (k.text, "near-identical text", "near-identical texts"),
    ]
    .iter()
    .filter(|(n, _, _)| *n > 0)
    .map(|(n, one, many)| plural(*n, one, many))
    .collect();
    if parts.is_empty() {
        "none".into()
    } else {
        parts.join(", ")
    }
}

pub fn coordination_html(p: &mut String, c: &Coordination) -> std::fmt::Result {
    p.push_str("<section id=\"coordination\"><h2>Accounts acting in concert</h2>");
    for term in ["object", "co_share", "weight", "cluster"] {
        if let Some(definition) = c.definitions.get(term) {
            write!(p, "<p class=\"definition\">{}</p>", esc(definition))?;
        }
    }
    writeln!(
        p,
        "<p>{} pairs of accounts shared the same object within {} seconds of each other at least {} times: {} accounts in {} clusters, the largest of {}.</p>",
        thousands(c.coordinated_pairs),
        c.window_seconds,
        c.min_co_shares,
        thousands(c.coordinated_accounts),
        thousands(c.cluster_count),
        thousands(c.largest_cluster)
    )?;
    let groups: Vec<Group> = c
        .clusters
        .iter()
        .take(CLUSTERS_DRAWN)
        .map(|cluster| Group {
            title: if cluster.members.len() > MEMBERS_DRAWN {
                format!(
                    "#{} · {} accounts, {} drawn",
                    cluster.rank,
                    thousands(cluster.size),
                    MEMBERS_DRAWN
                )
            } else {
                format!("#{} · {} accounts", cluster.rank, cluster.size)
            },
            // Members come most-partners first, so the drawn ones are the hubs.
            members: cluster
                .members
                .iter()
                .take(MEMBERS_DRAWN)
                .map(|m| name(&m.key, m.screen_name.as_deref()))
                .collect(),
            edges: cluster
                .links
                .iter()
                .map(|[a, b, w]| (*a as usize, *b as usize, *w))
                .filter(|(a, b, _)| *a < MEMBERS_DRAWN && *b < MEMBERS_DRAWN)
                .collect(),
        })
        .collect();
    if !groups.is_empty() {
        p.push_str(&charts::network(
            &groups,
            "The largest coordinated clusters: accounts as dots, coordinated pairs as lines",
        ));
    }
    for cluster in c.clusters.iter().take(CLUSTERS_TABLED) {
        cluster_table(p, cluster)?;
    }
    if c.guard.objects_left_out > 0 {
        writeln!(
            p,
            "<p class=\"note\">{} objects, shared by so many accounts at once that pairing them says nothing about any two, were left out of pairing; the largest are listed in the JSON (<code>coordination.guard</code>).</p>",
            thousands(c.guard.objects_left_out)
        )?;
    }
    similarity(p, c)?;
    p.push_str("</section>");
    Ok(())
}

fn cluster_table(p: &mut String, cluster: &Cluster) -> std::fmt::Result {
    writeln!(
        p,
        "<h3>Cluster #{}: {} accounts, {}</h3><p>They co-shared {} ({}): {}, median {} s apart, at most {} s; active from {} to {} ({}).</p>",
        cluster.rank,
        cluster.size,
        plural(cluster.edges, "coordinated pair", "coordinated pairs"),
        plural(cluster.objects_total, "object", "objects"),
        esc(&kinds(&cluster.kinds)),
        plural(cluster.instances, "co-share", "co-shares"),
        cluster.median_seconds,
        cluster.max_seconds,
        esc(&utc(cluster.first_time)),
        esc(&utc(cluster.last_time)),
        duration(cluster.last_time - cluster.first_time)
    )?;
    if !cluster.communities.is_empty() {
        writeln!(
            p,
            "<p>Too large to be one group: Louvain communities inside it (modularity {:.2}), largest first:</p><ul>",
            cluster.modularity.unwrap_or_default()
        )?;
        for community in cluster.communities.iter().take(8) {
            let members: Vec<String> = community
                .members
                .iter()
                .take(8)
                .filter_map(|&i| cluster.members.get(i as usize))
                .map(|m| name(&m.key, m.screen_name.as_deref()))
                .collect();
            write!(
                p,
                "<li>{} accounts, {}: {}{}</li>",
                thousands(community.size),
                plural(community.edges, "coordinated pair", "coordinated pairs"),
                esc(&members.join(", ")),
                if community.members.len() > 8 {
                    ", …"
                } else {
                    ""
                }
            )?;
        }
        p.push_str("</ul>");
    }
    p.push_str("<div class=\"columns\"><div><table><thead><tr><th>Member</th><th>Partners</th><th>Posts co-shared</th></tr></thead><tbody>");
    for member in cluster.members.iter().take(25) {
        write!(
            p,
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            esc(&name(&member.key, member.screen_name.as_deref())),
            thousands(member.partners),
            thousands(member.posts)
        )?;
    }
    if cluster.members.len() > 25 {
        write!(
            p,
            "<tr><td colspan=\"3\" class=\"note\">and {} more</td></tr>",
            cluster.members.len() - 25
        )?;
    }
    p.push_str("</tbody></table></div><div><table><thead><tr><th>Object</th><th>Accounts</th></tr></thead><tbody>");
    for object in cluster.objects.iter().take(10) {
        write!(
            p,
            "<tr><td><code>{}</code> <span class=\"note\">{:?}</span></td><td class=\"num\">{}</td></tr>",
            esc(&clip(&object.object, 80)),
            object.kind,
            thousands(object.accounts)
        )?;
    }
    p.push_str("</tbody></table></div></div>");
    if !cluster.examples.is_empty() {
        p.push_str("<table><thead><tr><th>Shared</th><th>One account</th><th>at</th><th>The other</th><th>at</th><th>Apart</th></tr></thead><tbody>");
        for e in cluster.examples.iter().take(8) {
            write!(
                p,
                "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{} s</td></tr>",
                esc(&clip(&e.object, 60)),
                esc(&e.a),
                esc(&utc(e.a_time)),
                esc(&e.b),
                esc(&utc(e.b_time)),
                e.seconds
            )?;
        }
        p.push_str("</tbody></table>");
    }
    Ok(())
}

fn similarity(p: &mut String, c: &Coordination) -> std::fmt::Result {
    let s = &c.similarity;
    let definition = c.definitions.get("similarity").copied().unwrap_or_default();
    writeln!(
        p,
        "<h3>Slower coordination: co-retweet similarity</h3><p class=\"definition\">{}</p><p>{} accounts compared; {} pairs at cosine ≥ {} ({:.2} % of pairs compared) in {} groups, the largest of {}.</p>",
        esc(definition),
        thousands(s.accounts),
        thousands(s.similar_pairs),
        s.threshold,
        s.similar_share * 100.0,
        thousands(s.group_count),
        thousands(s.largest_group)
    )?;
    if s.groups.is_empty() {
        return Ok(());
    }
    p.push_str("<table><thead><tr><th>Group</th><th>Accounts</th><th>Mean similarity</th><th>Members</th></tr></thead><tbody>");
    for group in s.groups.iter().take(10) {
        let members: Vec<String> = group
            .members
            .iter()
            .take(12)
            .map(|m| name(&m.key, m.screen_name.as_deref()))
            .collect();
        write!(
            p,
            "<tr><td class=\"num\">#{}</td><td class=\"num\">{}</td><td class=\"num\">{:.2}</td><td>{}{}</td></tr>",
            group.rank,
            group.size,
            group.mean_similarity,
            esc(&members.join(", ")),
            if group.members.len() > 12 { ", …" } else { "" }
        )?;
    }
    p.push_str("</tbody></table>");
    Ok(())
}
