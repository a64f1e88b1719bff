pub mod check;
pub mod completions;
pub mod explain;
pub mod gen;
pub mod lint;
pub mod listen;
pub mod shape;
pub mod specs;
