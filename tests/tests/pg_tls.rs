//! The server's link to PostgreSQL over TLS (rustls), with libpq's `sslmode`: against a real
//! cluster from Debian's packages that speaks TLS with a certificate signed by a CA of its own,
//! `verify-full` connects encrypted when the name matches and refuses, in words, a certificate
//! from another CA or for another name; `verify-ca` accepts the other name; `require` encrypts
//! without checking; `disable` stays plain; a mode that does not exist is refused by name.

use esv_server::Db;
use esv_tests::postgres::TempCluster;

/// Opens `url` and says whether the link is encrypted, or the error in words.
fn open(url: &str) -> Result<bool, String> {
    tokio::runtime::Runtime::new()
        .expect("runtime")
        .block_on(async {
            let db = Db::open(url).await.map_err(|e| e.to_string())?;
            let encrypted = db.encrypted().await.map_err(|e| e.to_string())?;
            db.close().await.map_err(|e| e.to_string())?;
            Ok(encrypted.expect("PostgreSQL has a link"))
        })
}

#[test]
fn sslmode_is_honoured_against_a_real_cluster() {
    let cluster = TempCluster::start_tls("DNS:localhost,IP:127.0.0.1");
    let ca = cluster.ca().expect("ca").display().to_string();
    let url = cluster.new_database();
    let with = |params: &str| format!("{url}?{params}");

    assert_eq!(
        open(&with(&format!("sslmode=verify-full&sslrootcert={ca}"))),
        Ok(true)
    );
    assert_eq!(open(&with("sslmode=require")), Ok(true));
    // The default (prefer) uses TLS when the server offers it.
    assert_eq!(open(&url), Ok(true));
    assert_eq!(open(&with("sslmode=disable")), Ok(false));

    // Another CA: refused, and the reason says it is the certificate.
    let other = TempCluster::start_tls("DNS:localhost,IP:127.0.0.1");
    let other_ca = other.ca().expect("ca").display().to_string();
    let err = open(&with(&format!(
        "sslmode=verify-full&sslrootcert={other_ca}"
    )))
    .expect_err("a certificate from another CA");
    assert!(
        err.contains("certificate") || err.contains("certificado"),
        "{err}"
    );
    let err = open(&with(&format!("sslmode=verify-ca&sslrootcert={other_ca}")))
        .expect_err("verify-ca checks the CA too");
    assert!(
        err.contains("certificate") || err.contains("certificado"),
        "{err}"
    );

    let err = open(&with("sslmode=verify")).expect_err("no such mode");
    assert!(err.contains("verify-full"), "{err}");
    let err = open(&with("sslmode=verify-full&sslrootcert=/nao/existe.pem")).expect_err("no file");
    assert!(err.contains("/nao/existe.pem"), "{err}");
}

#[test]
fn verify_full_checks_the_name_and_verify_ca_does_not() {
    // A certificate for another host name, from the CA we trust.
    let cluster = TempCluster::start_tls("DNS:esv-db.invalid");
    let ca = cluster.ca().expect("ca").display().to_string();
    let url = cluster.new_database();
    let err = open(&format!("{url}?sslmode=verify-full&sslrootcert={ca}"))
        .expect_err("the name does not match");
    assert!(
        err.contains("certificate") || err.contains("certificado"),
        "{err}"
    );
    assert_eq!(
        open(&format!("{url}?sslmode=verify-ca&sslrootcert={ca}")),
        Ok(true)
    );
}
