//! The directory contract, run against SQLite and a real PostgreSQL server the test starts.

use std::sync::Arc;

use idbroker::core::directory::{
    Authenticator, Directory, DirectoryError, Statistics, UserFields, UserFilter,
};
use idbroker::directory::SqlDirectory;
use time::OffsetDateTime;

use crate::common::PostgresServer;

fn now() -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(1_796_000_000).unwrap()
}

fn jsmith() -> UserFields {
    UserFields {
        user_name: "jsmith".into(),
        external_id: Some("jsmith@gmail.com".into()),
        given_name: Some("John".into()),
        family_name: Some("Smith".into()),
        phone: Some("+447911123456".into()),
        email: None,
    }
}

fn oob(user_id: i64) -> Authenticator {
    Authenticator {
        tenant: "t1".into(),
        user_id,
        policy: "AT_OOBSMS".into(),
        activation_hash: Some("h".into()),
        enabled: true,
        created_at: now(),
        expires_at: now() + time::Duration::days(365),
        stats: Statistics::default(),
        version: 1,
    }
}

/// Users: create, find by each filter, page, replace, delete; names unique per tenant; a
/// tenant never sees another's users.
async fn users(dir: &dyn Directory) {
    let a = dir.create_user("t1", &jsmith(), now()).await.unwrap();
    assert!(a.id > 0);
    assert!(matches!(
        dir.create_user("t1", &jsmith(), now()).await,
        Err(DirectoryError::Conflict)
    ));
    let other = dir.create_user("t2", &jsmith(), now()).await.unwrap();
    assert_ne!(other.id, a.id);
    for i in 0..3 {
        let fields = UserFields {
            user_name: format!("u{i}"),
            ..UserFields::default()
        };
        dir.create_user("t1", &fields, now()).await.unwrap();
    }
    let by_external = UserFilter::ExternalId("jsmith@gmail.com".into());
    let (total, found) = dir.find_users("t1", &by_external, 0, 100).await.unwrap();
    assert_eq!((total, found.len()), (1, 1));
    assert_eq!(found[0], a);
    let (total, page) = dir.find_users("t1", &UserFilter::All, 1, 2).await.unwrap();
    assert_eq!((total, page.len()), (4, 2));
    let (total, _) = dir
        .find_users("t1", &UserFilter::UserName("nobody".into()), 0, 10)
        .await
        .unwrap();
    assert_eq!(total, 0);
    assert_eq!(
        dir.user("t2", a.id).await.unwrap(),
        None,
        "another tenant's"
    );
    let changed = UserFields {
        phone: Some("+4741234567".into()),
        ..jsmith()
    };
    let later = now() + time::Duration::minutes(1);
    let b = dir
        .replace_user("t1", a.id, &changed, later)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(b.phone.as_deref(), Some("+4741234567"));
    assert_eq!(
        (b.version, b.modified_at, b.created_at),
        (a.version + 1, later, a.created_at)
    );
    assert!(dir.delete_user("t1", a.id).await.unwrap());
    assert!(!dir.delete_user("t1", a.id).await.unwrap());
    assert_eq!(dir.user("t1", a.id).await.unwrap(), None);
}

/// Authenticators: one per user and policy; enable, disable, reset; counters that two
/// instances updating at once never lose.
async fn authenticators(dir: Arc<dyn Directory>) {
    let user = dir.create_user("t1", &jsmith(), now()).await.unwrap();
    dir.create_authenticator(&oob(user.id)).await.unwrap();
    assert!(matches!(
        dir.create_authenticator(&oob(user.id)).await,
        Err(DirectoryError::Conflict)
    ));
    let stored = dir
        .authenticator("t1", user.id, "AT_OOBSMS")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored, oob(user.id));
    assert_eq!(
        dir.authenticator("t2", user.id, "AT_OOBSMS").await.unwrap(),
        None
    );

    let at = now() + time::Duration::minutes(5);
    let s = dir
        .record_use("t1", user.id, "AT_OOBSMS", true, at)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (s.consecutive_success, s.total_success, s.last_success_at),
        (1, 1, Some(at))
    );
    let racing: Vec<_> = (0..20)
        .map(|_| {
            let dir = dir.clone();
            tokio::spawn(async move {
                dir.record_use("t1", user.id, "AT_OOBSMS", false, at)
                    .await
                    .unwrap()
                    .unwrap()
            })
        })
        .collect();
    for task in racing {
        task.await.unwrap();
    }
    let a = dir
        .authenticator("t1", user.id, "AT_OOBSMS")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(a.stats.consecutive_failed, 20, "no failure lost");
    assert_eq!((a.stats.consecutive_success, a.stats.total_failed), (0, 20));
    assert_eq!(a.stats.uses(), 21);
    let reset = dir
        .reset("t1", user.id, "AT_OOBSMS")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (reset.stats.consecutive_failed, reset.stats.total_failed),
        (0, 20)
    );
    let off = dir
        .set_enabled("t1", user.id, "AT_OOBSMS", false)
        .await
        .unwrap()
        .unwrap();
    assert!(!off.enabled);
    assert!(dir.delete_user("t1", user.id).await.unwrap());
    assert_eq!(
        dir.authenticator("t1", user.id, "AT_OOBSMS").await.unwrap(),
        None
    );
}

async fn contract(url: &str) {
    let dir: Arc<dyn Directory> = Arc::new(SqlDirectory::open(url).await.unwrap());
    users(&*dir).await;
    authenticators(dir.clone()).await;
    // What was written survives a restart (a fresh pool; migrations run again, harmlessly).
    let kept = dir.create_user("t9", &jsmith(), now()).await.unwrap();
    drop(dir);
    let reopened = SqlDirectory::open(url).await.unwrap();
    assert_eq!(reopened.user("t9", kept.id).await.unwrap(), Some(kept));
}

#[tokio::test]
async fn the_contract_holds_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("d/directory.db").display()
    );
    contract(&url).await;
}

#[tokio::test]
async fn the_contract_holds_on_postgresql() {
    let server = PostgresServer::start();
    contract(&server.url).await;
}
