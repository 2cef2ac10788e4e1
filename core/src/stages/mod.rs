//! The multi-stage graph: names, indexes, FROM/COPY --from/--mount=from edges, target reachability, cycles.
