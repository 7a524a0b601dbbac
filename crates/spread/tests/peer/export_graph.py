"""GraphML from the toolkit → edges.tsv and components.tsv (networkx's
weakly connected components of the toolkit's directed graph)."""

import sys

import networkx as nx


def main(graphml, edges_path, components_path):
    graph = nx.read_graphml(graphml)
    with open(edges_path, "w", encoding="utf-8") as edges:
        for source, target, data in sorted(graph.edges(data=True)):
            edges.write(f"{source}\t{target}\t{int(data['weight'])}\n")
    with open(components_path, "w", encoding="utf-8") as components:
        for component in sorted(sorted(c) for c in nx.weakly_connected_components(graph)):
            components.write("\t".join(component) + "\n")


if __name__ == "__main__":
    main(*sys.argv[1:4])
