pub mod check;
pub mod explain;
pub mod gen;
pub mod lint;
pub mod shape;
pub mod specs;
