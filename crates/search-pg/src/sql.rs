//! SQL text with numbered parameters: every value from a user or a dump
//! is bound, never pasted.

use postgres::types::ToSql;

/// A bound value; cloneable, so one condition serves several statements.
#[derive(Clone, Debug)]
pub(crate) enum Value {
    Text(String),
    OptText(Option<String>),
    Texts(Vec<String>),
}

impl Value {
    fn as_sql(&self) -> &(dyn ToSql + Sync) {
        match self {
            Value::Text(text) => text,
            Value::OptText(text) => text,
            Value::Texts(texts) => texts,
        }
    }
}

#[derive(Clone, Debug, Default)]
pub(crate) struct Sql {
    values: Vec<Value>,
}

impl Sql {
    /// Binds `value`; returns its placeholder (`$n`).
    pub fn param(&mut self, value: Value) -> String {
        self.values.push(value);
        format!("${}", self.values.len())
    }

    pub fn params(&self) -> Vec<&(dyn ToSql + Sync)> {
        self.values.iter().map(Value::as_sql).collect()
    }
}

/// `name` as a SQL identifier, whatever it holds.
pub(crate) fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}
