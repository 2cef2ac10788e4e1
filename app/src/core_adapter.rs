//! The only module that calls `layerlab_core`: runs the core and maps its results to plain
//! view models the components render.

/// One parsed instruction, ready to show.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct InstructionRow {
    pub line: u32,
    pub keyword: String,
    pub args: String,
}

pub fn instruction_rows(dockerfile: &str) -> Vec<InstructionRow> {
    let parse = layerlab_core::parse(dockerfile);
    parse
        .nodes
        .iter()
        .map(|n| InstructionRow {
            line: n.start_line,
            keyword: n.cmd.to_ascii_uppercase(),
            args: n.original.get(n.keyword_range.len() as usize..).unwrap_or("").trim().to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_come_from_the_core_parser() {
        let rows = instruction_rows("FROM alpine AS base\nRUN echo hi\n");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].keyword, "FROM");
        assert_eq!(rows[1].line, 2);
        assert_eq!(rows[1].args, "echo hi");
    }
}
