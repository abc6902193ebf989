//! RFC 9396 `authorization_details` of type `payment_initiation`, as in the RFC's example: the
//! payment the user confirms with the code. One payment per request; unknown types, unknown
//! fields, wrong types and bad values are `invalid_authorization_details`.

use serde_json::{Map, Value};

use crate::core::confirm::{Confirmation, DETAILS_TYPES, Requested};
use crate::oauth::Client;

/// The fields a `payment_initiation` entry may have.
const FIELDS: [&str; 6] = [
    "type",
    "instructedAmount",
    "creditorName",
    "creditorAccount",
    "remittanceInformationUnstructured",
    "endToEndIdentification",
];

/// What the user will confirm, and the details as granted (the amount in canonical form).
pub struct Granted {
    pub confirmation: Confirmation,
    pub details: Value,
}

/// Reads `authorization_details`; the error is the `error_description`.
pub fn parse(raw: &str, client: &Client) -> Result<Granted, String> {
    let list: Value = serde_json::from_str(raw).map_err(|_| "must be a JSON array".to_owned())?;
    let [entry] = list.as_array().map(Vec::as_slice).unwrap_or_default() else {
        return Err("must be a JSON array of one payment".into());
    };
    let entry = entry.as_object().ok_or("each entry must be an object")?;
    let kind = entry
        .get("type")
        .and_then(Value::as_str)
        .ok_or("each entry needs a type")?;
    if !DETAILS_TYPES.contains(&kind) {
        return Err(format!("unknown type {kind:?}"));
    }
    if !client.authorization_details_types.iter().any(|t| t == kind) {
        return Err(format!("the client may not request type {kind:?}"));
    }
    if let Some(unknown) = entry.keys().find(|k| !FIELDS.contains(&k.as_str())) {
        return Err(format!("unknown field {unknown:?}"));
    }
    let amount = entry
        .get("instructedAmount")
        .and_then(Value::as_object)
        .ok_or("instructedAmount must be an object with currency and amount")?;
    if amount.keys().any(|k| k != "currency" && k != "amount") {
        return Err("instructedAmount has only currency and amount".into());
    }
    let text = |obj: &Map<String, Value>, name: &str| -> Result<Option<String>, String> {
        match obj.get(name) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(format!("{name} must be a string")),
        }
    };
    let required = |obj: &Map<String, Value>, name: &str| {
        text(obj, name)?.ok_or_else(|| format!("{name} is required"))
    };
    if entry.get("creditorAccount").is_some_and(|a| !a.is_object()) {
        return Err("creditorAccount must be an object".into());
    }
    let confirmation = Confirmation::new(Requested {
        amount: &required(amount, "amount")?,
        currency: &required(amount, "currency")?,
        payee: &required(entry, "creditorName")?,
        text: text(entry, "remittanceInformationUnstructured")?.as_deref(),
        reference: text(entry, "endToEndIdentification")?.as_deref(),
    })
    .map_err(|e| {
        let field = match e.field {
            "amount" => "instructedAmount.amount",
            "currency" => "instructedAmount.currency",
            "payee" => "creditorName",
            "text" => "remittanceInformationUnstructured",
            _ => "endToEndIdentification",
        };
        format!("{field} {}", e.why)
    })?;
    let mut granted = entry.clone();
    granted.insert(
        "instructedAmount".into(),
        serde_json::json!({"currency": confirmation.currency, "amount": confirmation.amount}),
    );
    Ok(Granted {
        confirmation,
        details: Value::Array(vec![Value::Object(granted)]),
    })
}
