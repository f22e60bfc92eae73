//! `specs/wire.yaml` over loopback: a form body with deepObject nesting (and
//! Stripe's own spelling of it), multipart with file parts, a body in three
//! media types of different types, one type in two media types, binary and
//! text responses, and parameters in every style. Requests written by hand in
//! the encodings the OpenAPI specification shows check the wire format itself,
//! not only that the generated client and server agree.

mod support;

use std::sync::Arc;

use oagen_feature_tests::wire::{client, models, operations, runtime::Binary, server};
use support::{get, json_body, post, serve_router};

struct Wire;

/// A handler that answers 200 with the body it was sent.
macro_rules! echo {
    ($name:ident, $body:ident, $response:ident) => {
        async fn $name(
            self: Arc<Self>,
            _auth: server::Auth,
            body: models::$body,
        ) -> operations::$response {
            operations::$response::Ok(body)
        }
    };
}

impl server::Api for Wire {
    async fn verify(&self, _credential: &server::Credential) -> bool {
        true
    }

    echo!(create_charge, Charge, CreateChargeResponse);

    async fn upload(
        self: Arc<Self>,
        _auth: server::Auth,
        body: models::UploadRequest,
    ) -> operations::UploadResponse {
        operations::UploadResponse::Created(models::UploadSummary {
            file_name: body.file.file_name.clone().unwrap_or_default(),
            content_type: body.file.content_type.clone(),
            size: body.file.bytes.len() as i64,
            attachment_sizes: body
                .attachments
                .unwrap_or_default()
                .iter()
                .map(|a| a.bytes.len() as i64)
                .collect(),
            title: body.title,
            count: body.count,
            tags: body.meta.and_then(|m| m.tags),
            additional_properties: Default::default(),
        })
    }

    async fn put_document(
        self: Arc<Self>,
        _auth: server::Auth,
        params: operations::PutDocumentParams,
        body: operations::PutDocumentRequestBody,
    ) -> operations::PutDocumentResponse {
        let (kind, length) = match &body {
            operations::PutDocumentRequestBody::Json(d) => ("json", d.title.len()),
            operations::PutDocumentRequestBody::Text(t) => ("text", t.len()),
            // A binary upload arrives as a stream, with its `Content-Length`.
            operations::PutDocumentRequestBody::OctetStream(b) => {
                ("bytes", b.len().unwrap_or_default() as usize)
            }
        };
        let content = if kind == "json" {
            operations::PutDocumentOkContent::Json(models::DocumentSummary {
                id: params.doc_id,
                kind: kind.into(),
                length: length as i64,
                additional_properties: Default::default(),
            })
        } else {
            operations::PutDocumentOkContent::Csv(format!("{},{kind},{length}", params.doc_id))
        };
        operations::PutDocumentResponse::Ok {
            body: content,
            headers: operations::PutDocumentOkHeaders { x_revision: 3 },
        }
    }

    echo!(create_note, Note, CreateNoteResponse);

    async fn get_styles(
        self: Arc<Self>,
        _auth: server::Auth,
        params: operations::GetStylesParams,
    ) -> operations::GetStylesResponse {
        let filter = params.filter.unwrap_or_default();
        operations::GetStylesResponse::Ok(models::Styles {
            label: Some(params.label),
            matrix: Some(params.matrix),
            plain: Some(params.plain),
            ids: params.ids,
            pipes: params.pipes,
            spaces: params.spaces,
            filter_status: filter.status,
            filter_min: filter.min,
            point: params.point,
            flag: params.flag,
            header_ids: params.x_ids,
            header_point: params.x_point,
            prefs: params.prefs,
            additional_properties: Default::default(),
        })
    }

    async fn annotate(
        self: Arc<Self>,
        _auth: server::Auth,
        body: Option<models::Note>,
    ) -> operations::AnnotateResponse {
        operations::AnnotateResponse::Ok(match body {
            Some(note) => format!("note: {}", note.text),
            None => "no note".into(),
        })
    }

    async fn ping(self: Arc<Self>, _auth: server::Auth) -> operations::PingResponse {
        operations::PingResponse::Default {
            status: 299,
            body: "pong".into(),
        }
    }

    async fn get_file(
        self: Arc<Self>,
        _auth: server::Auth,
        params: operations::GetFileParams,
    ) -> operations::GetFileResponse {
        if params.name == "missing" {
            operations::GetFileResponse::NotFound(format!("no file {}", params.name))
        } else {
            operations::GetFileResponse::Ok(vec![0, 255, 1, 254].into())
        }
    }
}

async fn serve() -> String {
    serve_router(server::router(Arc::new(Wire)), "/v1").await
}

fn charge() -> models::Charge {
    serde_json::from_value(serde_json::json!({
        "amount": 2000,
        "currency": "usd",
        "capture": false,
        "description": "a & b = c",
        "expand": ["customer", "invoice"],
        "metadata": {"order_id": "6735", "note": "x[y]"},
        "items": [{"price": "price_1", "quantity": 2}, {"price": "price_2"}],
        "shipping": {"name": "Ann", "address": {"line1": "1 Main St", "city": "Paris"}},
    }))
    .unwrap()
}

#[tokio::test]
async fn form_bodies_round_trip_with_deep_objects() {
    let base = serve().await;
    let c = client::Client::new(&base).unwrap();
    let sent = charge();
    match c.create_charge(&sent).await.unwrap() {
        operations::CreateChargeResponse::Ok(got) => assert_eq!(got, sent),
        other => panic!("unexpected {other:?}"),
    }
}

#[tokio::test]
async fn form_bodies_in_stripe_spelling_decode() {
    let base = serve().await;
    let text = "amount=150&currency=eur&capture=true&expand[]=a&expand[]=b\
        &metadata[k]=v&items[0][price]=p1&items[0][quantity]=3&items[1][price]=p2\
        &shipping[address][city]=Rome";
    let resp = post(
        format!("{base}/charges"),
        "application/x-www-form-urlencoded",
        text,
    )
    .await;
    assert_eq!(resp.status(), 200);
    let got: serde_json::Value = json_body(resp).await;
    assert_eq!(
        got,
        serde_json::json!({
            "amount": 150, "currency": "eur", "capture": true, "expand": ["a", "b"],
            "metadata": {"k": "v"},
            "items": [{"price": "p1", "quantity": 3}, {"price": "p2"}],
            "shipping": {"address": {"city": "Rome"}},
        })
    );
}

#[tokio::test]
async fn invalid_form_bodies_are_rejected() {
    let base = serve().await;
    for (text, why) in [
        ("amount=x&currency=usd", "amount is not an integer"),
        ("amount=0&currency=usd", "amount is below its minimum"),
        ("amount=5&currency=gbp", "currency is not in the enum"),
        ("currency=usd", "amount is missing"),
    ] {
        let resp = post(
            format!("{base}/charges"),
            "application/x-www-form-urlencoded",
            text,
        )
        .await;
        assert_eq!(resp.status(), 400, "{why}: {text}");
    }
    // JSON is not a declared media type of this body.
    let resp = post(
        format!("{base}/charges"),
        "application/json",
        r#"{"amount": 1, "currency": "usd"}"#,
    )
    .await;
    assert_eq!(resp.status(), 400);
    assert!(resp
        .text()
        .await
        .unwrap()
        .contains("unsupported Content-Type"));
}

#[tokio::test]
async fn multipart_bodies_carry_files_and_fields() {
    let base = serve().await;
    let c = client::Client::new(&base).unwrap();
    let body = models::UploadRequest {
        file: Binary::new(vec![0u8, 1, 2, 255, 13, 10, 45, 45])
            .with_file_name("photo.jpg")
            .with_content_type("image/jpeg"),
        attachments: Some(vec![
            Binary::new(b"one".to_vec()),
            Binary::new(vec![9u8; 1000]),
        ]),
        title: "holiday".into(),
        count: Some(2),
        meta: Some(models::UploadRequestMeta {
            tags: Some(vec!["sea".into(), "sun".into()]),
            additional_properties: Default::default(),
        }),
        additional_properties: Default::default(),
    };
    match c.upload(&body).await.unwrap() {
        operations::UploadResponse::Created(s) => {
            assert_eq!(s.file_name, "photo.jpg");
            assert_eq!(s.content_type.as_deref(), Some("image/jpeg"));
            assert_eq!(s.size, 8);
            assert_eq!(s.attachment_sizes, vec![3, 1000]);
            assert_eq!(s.title, "holiday");
            assert_eq!(s.count, Some(2));
            assert_eq!(s.tags, Some(vec!["sea".to_string(), "sun".to_string()]));
        }
        other => panic!("unexpected {other:?}"),
    }
    // A constraint on a text part is checked.
    let mut long = body.clone();
    long.title = "x".repeat(21);
    assert!(matches!(
        c.upload(&long).await.unwrap(),
        operations::UploadResponse::BadRequest(_)
    ));
}

#[tokio::test]
async fn multipart_bodies_from_another_client_decode() {
    let base = serve().await;
    let body = "--XyZ\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nhand made\r\n\
        --XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\
        Content-Type: text/plain\r\n\r\nhello\r\n--XyZ--\r\n";
    let resp = post(
        format!("{base}/uploads"),
        "multipart/form-data; boundary=XyZ",
        body,
    )
    .await;
    assert_eq!(resp.status(), 201);
    let got: serde_json::Value = json_body(resp).await;
    assert_eq!(got["file_name"], "a.txt");
    assert_eq!(got["size"], 5);
    assert_eq!(got["title"], "hand made");
    // Without the required file part.
    let resp = post(
        format!("{base}/uploads"),
        "multipart/form-data; boundary=XyZ",
        "--XyZ\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nt\r\n--XyZ--\r\n",
    )
    .await;
    assert_eq!(resp.status(), 400);
}

#[tokio::test]
async fn a_body_in_several_media_types_is_chosen_by_variant() {
    let base = serve().await;
    let c = client::Client::new(&base).unwrap();
    let params = operations::PutDocumentParams {
        doc_id: "d/1".into(),
    };
    let json = operations::PutDocumentRequestBody::Json(models::Document {
        title: "four".into(),
        body: None,
        additional_properties: Default::default(),
    });
    match c.put_document(&params, json).await.unwrap() {
        operations::PutDocumentResponse::Ok {
            body: operations::PutDocumentOkContent::Json(s),
            headers,
        } => {
            assert_eq!(
                (s.id.as_str(), s.kind.as_str(), s.length),
                ("d/1", "json", 4)
            );
            assert_eq!(headers.x_revision, 3);
        }
        other => panic!("unexpected {other:?}"),
    }
    let text = operations::PutDocumentRequestBody::Text("hello".into());
    assert_eq!(
        c.put_document(&params, text).await.unwrap(),
        operations::PutDocumentResponse::Ok {
            body: operations::PutDocumentOkContent::Csv("d/1,text,5".into()),
            headers: operations::PutDocumentOkHeaders { x_revision: 3 },
        }
    );
    let bytes = operations::PutDocumentRequestBody::OctetStream(vec![0, 159, 146, 150].into());
    assert_eq!(bytes.content_type(), "application/octet-stream");
    assert_eq!(
        c.put_document(&params, bytes).await.unwrap(),
        operations::PutDocumentResponse::Ok {
            body: operations::PutDocumentOkContent::Csv("d/1,bytes,4".into()),
            headers: operations::PutDocumentOkHeaders { x_revision: 3 },
        }
    );
}

#[tokio::test]
async fn one_type_in_two_media_types_is_accepted_in_both() {
    let base = serve().await;
    let c = client::Client::new(&base).unwrap();
    let note = models::Note {
        text: "hi".into(),
        pinned: Some(true),
        stars: Some(3),
        additional_properties: Default::default(),
    };
    assert_eq!(
        c.create_note(&note).await.unwrap(),
        operations::CreateNoteResponse::Ok(note.clone())
    );
    let resp = post(
        format!("{base}/notes"),
        "application/x-www-form-urlencoded",
        "text=hi&pinned=true&stars=3",
    )
    .await;
    assert_eq!(resp.status(), 200);
    let got: models::Note = json_body(resp).await;
    assert_eq!(got, note);
}

/// An optional body: left out, the server's method gets `None`; sent, the value;
/// one that is not of its schema is rejected before the method runs.
#[tokio::test]
async fn an_optional_body_may_be_left_out() {
    let base = serve().await;
    let c = client::Client::new(&base).unwrap();
    assert_eq!(
        c.annotate(None).await.unwrap(),
        operations::AnnotateResponse::Ok("no note".into())
    );
    let note = models::Note {
        text: "hi".into(),
        pinned: None,
        stars: None,
        additional_properties: Default::default(),
    };
    assert_eq!(
        c.annotate(Some(&note)).await.unwrap(),
        operations::AnnotateResponse::Ok("note: hi".into())
    );
    let resp = post(
        format!("{base}/annotations"),
        "application/json",
        r#"{"pinned": true}"#,
    )
    .await;
    assert_eq!(resp.status(), 400);
}

fn point(x: i64, y: i64) -> models::Point {
    models::Point {
        x,
        y,
        additional_properties: Default::default(),
    }
}

#[tokio::test]
async fn parameters_in_every_style_round_trip() {
    let base = serve().await;
    let c = client::Client::new(&base).unwrap();
    let params = operations::GetStylesParams {
        label: vec!["a.b".into(), "c d".into()],
        matrix: point(1, -2),
        plain: vec![3, 4],
        ids: Some(vec![5, 6, 7]),
        pipes: Some(vec!["x".into(), "y z".into()]),
        spaces: Some(vec![1.5, 2.0]),
        filter: Some(
            serde_json::from_value(serde_json::json!({"status": "open", "min": 9})).unwrap(),
        ),
        point: Some(point(10, 20)),
        flag: Some(false),
        x_ids: Some(vec![8, 9]),
        x_point: Some(point(-1, 1)),
        prefs: Some(vec!["dark".into(), "compact".into()]),
    };
    let operations::GetStylesResponse::Ok(got) = c.get_styles(&params).await.unwrap() else {
        panic!("not 200");
    };
    assert_eq!(got.label, Some(params.label.clone()));
    assert_eq!(got.matrix, Some(params.matrix.clone()));
    assert_eq!(got.plain, Some(params.plain.clone()));
    assert_eq!(got.ids, params.ids);
    assert_eq!(got.pipes, params.pipes);
    assert_eq!(got.spaces, params.spaces);
    assert_eq!(got.filter_status.as_deref(), Some("open"));
    assert_eq!(got.filter_min, Some(9));
    assert_eq!(got.point, params.point);
    assert_eq!(got.flag, Some(false));
    assert_eq!(got.header_ids, params.x_ids);
    assert_eq!(got.header_point, params.x_point);
    assert_eq!(got.prefs, params.prefs);
}

#[tokio::test]
async fn parameters_written_as_the_specification_shows_decode() {
    let base = serve().await;
    // label `.a,b`, matrix exploded `;x=1;y=2`, simple `3,4`; form not exploded
    // `ids=5,6`; pipeDelimited; spaceDelimited; deepObject; an exploded form
    // object (`x=..&y=..` as top-level pairs); simple header arrays and
    // exploded objects; a form cookie not exploded.
    let url = format!(
        "{base}/styles/.a,b/;x=1;y=2/3,4?ids=5,6&pipes=p|q&spaces=1.5%202\
         &filter[status]=s&filter[min]=2&x=7&y=8&flag=true"
    );
    let resp = reqwest::Client::new()
        .get(url)
        .header("X-Ids", "1,2")
        .header("X-Point", "x=3,y=4")
        .header("cookie", "prefs=u,v")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let got: serde_json::Value = json_body(resp).await;
    assert_eq!(
        got,
        serde_json::json!({
            "label": ["a", "b"], "matrix": {"x": 1, "y": 2}, "plain": [3, 4],
            "ids": [5, 6], "pipes": ["p", "q"], "spaces": [1.5, 2.0],
            "filter_status": "s", "filter_min": 2, "point": {"x": 7, "y": 8}, "flag": true,
            "header_ids": [1, 2], "header_point": {"x": 3, "y": 4}, "prefs": ["u", "v"],
        })
    );
    // A value that does not fit its type is a 400.
    let resp = get(format!("{base}/styles/.a/;x=1;y=2/3,four")).await;
    assert_eq!(resp.status(), 400);
    let resp = get(format!("{base}/styles/.a/;x=1;y=2/3?ids=1,x")).await;
    assert_eq!(resp.status(), 400);
}

#[tokio::test]
async fn binary_and_text_responses_are_typed_by_status() {
    let base = serve().await;
    let c = client::Client::new(&base).unwrap();
    let found = c
        .get_file(&operations::GetFileParams { name: "a".into() })
        .await
        .unwrap();
    match found {
        operations::GetFileResponse::Ok(body) => {
            assert_eq!(body.as_bytes(), Some(&[0, 255, 1, 254][..]))
        }
        other => panic!("{other:?}"),
    }
    let missing = c
        .get_file(&operations::GetFileParams {
            name: "missing".into(),
        })
        .await
        .unwrap();
    assert!(
        matches!(&missing, operations::GetFileResponse::NotFound(t) if t == "no file missing"),
        "{missing:?}"
    );
}

#[tokio::test]
async fn an_operation_with_only_a_default_response_keeps_the_status() {
    let base = serve().await;
    let c = client::Client::new(&base).unwrap();
    assert_eq!(
        c.ping().await.unwrap(),
        operations::PingResponse::Default {
            status: 299,
            body: "pong".into()
        }
    );
}
