//! The API's OpenAPI 3.1 description, written by hand beside the handlers
//! it describes (`assets/openapi.json`). The `openapi` integration test
//! calls every route it lists and checks each JSON answer against the
//! schema given for it, so the document cannot drift from the server.

pub const DOCUMENT: &str = include_str!("../assets/openapi.json");

#[cfg(test)]
mod tests {
    #[test]
    fn the_document_is_openapi_3_1_json() {
        let document: serde_json::Value = serde_json::from_str(super::DOCUMENT).unwrap();
        assert_eq!(document["openapi"], "3.1.0");
        assert!(document["paths"].as_object().unwrap().len() >= 8);
    }
}
