//! The OpenAPI 3.1 description of the API, kept in one place: `fixtures/openapi.json`,
//! embedded at build time and served as it is. The tests check it against the router.

use axum::{
    http::header,
    response::{IntoResponse, Response},
};

pub const DOCUMENT: &str = include_str!("../../fixtures/openapi.json");

/// `GET /openapi.json` (no token needed).
pub async fn document() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], DOCUMENT).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;
    use std::collections::BTreeSet;

    fn doc() -> Value {
        serde_json::from_str(DOCUMENT).expect("fixtures/openapi.json is JSON")
    }

    #[test]
    fn every_route_is_described_and_nothing_else() {
        let d = doc();
        assert!(d["openapi"].as_str().unwrap().starts_with("3.1"));
        assert_eq!(d["servers"][0]["url"], super::super::PREFIX);
        let mut described = BTreeSet::new();
        for (path, item) in d["paths"].as_object().unwrap() {
            for (method, _) in item.as_object().unwrap().iter().filter(|(k, _)| *k != "parameters") {
                described.insert((method.to_uppercase(), path.clone()));
            }
        }
        let routed: BTreeSet<(String, String)> =
            super::super::route_list().into_iter().map(|(m, p)| (m.to_owned(), p.to_owned())).collect();
        assert_eq!(described, routed, "fixtures/openapi.json and the API router differ");
    }

    #[test]
    fn every_operation_documents_its_errors_and_every_ref_resolves() {
        let d = doc();
        for (path, item) in d["paths"].as_object().unwrap() {
            for (method, op) in item.as_object().unwrap().iter().filter(|(k, _)| *k != "parameters") {
                let responses = op["responses"].as_object().unwrap();
                assert!(responses.keys().any(|k| k.starts_with('2')), "{method} {path}: a success response");
                let secured = op.get("security").is_none_or(|s| s.as_array().is_some_and(|a| !a.is_empty()));
                if secured {
                    for code in ["401", "403", "500"] {
                        assert!(responses.contains_key(code), "{method} {path}: {code}");
                    }
                }
            }
        }
        assert_eq!(d["components"]["securitySchemes"]["bearer"]["scheme"], "bearer");
        assert!(d["webhooks"]["zaak.status"]["post"].is_object(), "the webhook is described");
        let mut refs = Vec::new();
        collect_refs(&d, &mut refs);
        assert!(refs.len() > 20);
        for r in refs {
            let pointer = r.strip_prefix('#').expect("local refs only");
            assert!(d.pointer(pointer).is_some(), "unresolved $ref {r}");
        }
    }

    #[test]
    fn every_error_code_is_listed() {
        let d = doc();
        let listed: BTreeSet<&str> =
            d["components"]["schemas"]["Fout"]["properties"]["error"]["properties"]["code"]["enum"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap())
                .collect();
        use super::super::ApiError as E;
        let mut fields = crate::domain::validate::FieldErrors::default();
        fields.add("x", "y");
        for e in [
            E::BadJson(String::new()),
            E::BadRequest(String::new()),
            E::TokenMissing,
            E::TokenInvalid,
            E::TokenExpired,
            E::TokenRevoked,
            E::Scope("lezen"),
            E::Forbidden("x"),
            E::NotFound("x"),
            E::NoAdvies,
            E::UnknownPath,
            E::MethodNotAllowed,
            E::TooLarge,
            E::UnsupportedMediaType,
            E::Validation(fields),
            E::Internal(anyhow::anyhow!("x")),
        ] {
            assert!(listed.contains(e.code()), "{} is not in the Fout schema", e.code());
            assert!(d["info"]["description"].as_str().unwrap().contains(e.code()), "{} not described", e.code());
        }
    }

    fn collect_refs(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                for (k, x) in m {
                    if k == "$ref" {
                        out.push(x.as_str().unwrap().to_owned());
                    } else {
                        collect_refs(x, out);
                    }
                }
            }
            Value::Array(a) => a.iter().for_each(|x| collect_refs(x, out)),
            _ => {}
        }
    }
}
