//! Developer conveniences that exist only in development configurations: the outbox viewer
//! (only with `sms.kind = "outbox"`) and the demo relying party at `/` (only with
//! `demo.enabled`).

use askama::Template;
use axum::extract::{RawQuery, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};

use crate::core::lang::Lang;
use crate::rest::{CallbackUrls, CreateSession, PrefilledInput, create_session, session_view};
use crate::token::Client;
use crate::web::AppState;
use crate::web::body::Form;
use crate::web::page::{MessagePage, render};

pub fn outbox_router() -> Router<AppState> {
    Router::new()
        .route("/dev/outbox", get(outbox_page))
        .route("/dev/outbox.json", get(outbox_json))
}

pub fn demo_router() -> Router<AppState> {
    Router::new()
        .route("/", get(demo_page))
        .route("/demo/start", post(demo_start))
        .route("/demo/callback/{outcome}", get(demo_callback))
}

struct Row {
    time: String,
    recipient: String,
    sender: String,
    text: String,
}

#[derive(Template)]
#[template(path = "outbox.html")]
struct OutboxPage {
    messages: Vec<Row>,
}

async fn outbox_page(State(state): State<AppState>) -> Response {
    let messages = state
        .outbox
        .as_ref()
        .map(|o| o.messages())
        .unwrap_or_default()
        .into_iter()
        .map(|m| Row {
            time: m
                .time
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default(),
            recipient: m.recipient,
            sender: m.sender,
            text: m.text,
        })
        .collect();
    render(StatusCode::OK, &OutboxPage { messages })
}

async fn outbox_json(State(state): State<AppState>) -> Response {
    Json(
        state
            .outbox
            .as_ref()
            .map(|o| o.messages())
            .unwrap_or_default(),
    )
    .into_response()
}

struct DemoResult {
    status: String,
    json: String,
}

#[derive(Template)]
#[template(path = "demo.html")]
struct DemoPage {
    client_id: String,
    base: String,
    languages: Vec<(&'static str, &'static str)>,
    result: Option<DemoResult>,
}

/// The demo's callback URLs under the public origin: success, abort, error.
pub fn demo_callbacks(public_url: &url::Url) -> [String; 3] {
    let base = public_url.as_str().trim_end_matches('/');
    ["success", "abort", "error"].map(|outcome| format!("{base}/demo/callback/{outcome}"))
}

/// The client the demo page acts as.
fn demo_client(state: &AppState) -> Option<&Client> {
    state.clients.get(&state.config.demo.client_id)
}

fn demo_page_with(state: &AppState, result: Option<DemoResult>) -> Response {
    let Some(client) = demo_client(state) else {
        let page = MessagePage::error(Lang::En, "error-unavailable", None);
        return render(StatusCode::SERVICE_UNAVAILABLE, &page);
    };
    let page = DemoPage {
        client_id: client.id.clone(),
        base: state.url(""),
        languages: Lang::ALL
            .iter()
            .map(|l| (l.code(), l.native_name()))
            .collect(),
        result,
    };
    render(StatusCode::OK, &page)
}

async fn demo_page(State(state): State<AppState>) -> Response {
    demo_page_with(&state, None)
}

async fn demo_start(State(state): State<AppState>, request: Request) -> Response {
    let Some(client) = demo_client(&state) else {
        return demo_page_with(&state, None);
    };
    let form = Form::from_request(request).await.unwrap_or_default();
    let request = CreateSession {
        allowed_providers: None,
        flow: "redirect".into(),
        language: form.get("language").map(str::to_owned),
        requested_attributes: None,
        additional_parameters: None,
        callback_urls: {
            let [success, abort, error] = demo_callbacks(&state.public_url);
            CallbackUrls {
                success,
                abort,
                error,
            }
        },
        prefilled_input: form.get("mobile").map(|m| PrefilledInput {
            mobile: Some(m.to_owned()),
        }),
        external_reference: None,
    };
    match create_session(&state, client, request).await {
        Ok(view) => Redirect::to(&view.authentication_url).into_response(),
        Err(problem) => problem.into_response(),
    }
}

async fn demo_callback(State(state): State<AppState>, RawQuery(query): RawQuery) -> Response {
    let id = url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .find(|(k, _)| k == "sessionId")
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default();
    let Some(client) = demo_client(&state) else {
        return demo_page_with(&state, None);
    };
    match session_view(&state, client, &id).await {
        Ok(view) => {
            let result = DemoResult {
                status: view.status.to_owned(),
                json: serde_json::to_string_pretty(&view).unwrap_or_default(),
            };
            demo_page_with(&state, Some(result))
        }
        Err(problem) => problem.into_response(),
    }
}
