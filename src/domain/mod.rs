//! The rules of the reglement and the school protocols as pure types and functions: no I/O,
//! no database, no web. Each rule names its article.

pub mod access;
pub mod audit_chain;
pub mod case;
pub mod commission;
pub mod panel;
pub mod upload;
pub mod validate;
pub mod zaaknummer;
