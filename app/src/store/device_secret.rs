//! A secret of this device that never leaves the browser: a non-extractable HMAC key made by
//! WebCrypto and kept in IndexedDB, not in localStorage. It is mixed into the key derived from
//! the PIN and it signs the wrong-PIN counter, so a copy of localStorage alone (a backup, a
//! synced profile) opens nothing, even to someone who tries every PIN, and an edited counter
//! is noticed. Outside the browser (tests, the server's render) there is no device secret.

/// HMAC-SHA256 under the device secret of `label` and `data` (labels keep the uses apart).
/// `Ok(None)` outside the browser.
pub async fn hmac(label: &str, data: &[u8]) -> Result<Option<Vec<u8>>, String> {
    #[cfg(feature = "hydrate")]
    {
        browser::hmac(label, data).await.map(Some)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (label, data);
        Ok(None)
    }
}

/// Forgets the device secret (signing out): the next PIN gets a new one.
pub async fn forget() {
    #[cfg(feature = "hydrate")]
    browser::forget().await;
}

#[cfg(feature = "hydrate")]
mod browser {
    use idb::{DatabaseEvent, Factory, ObjectStoreParams, TransactionMode};
    use js_sys::{Array, Object, Reflect, Uint8Array};
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;

    const DATABASE: &str = "keukentafel-device";
    const STORE: &str = "keys";
    const KEY: &str = "device-secret";

    fn words(error: impl std::fmt::Debug) -> String {
        format!("device secret: {error:?}")
    }

    async fn database() -> Result<idb::Database, String> {
        let factory = Factory::new().map_err(words)?;
        let mut request = factory.open(DATABASE, Some(1)).map_err(words)?;
        request.on_upgrade_needed(|event| {
            if let Ok(database) = event.database() {
                let _ = database.create_object_store(STORE, ObjectStoreParams::new());
            }
        });
        request.await.map_err(words)
    }

    fn subtle() -> Result<web_sys::SubtleCrypto, String> {
        Ok(web_sys::window()
            .ok_or("no window")?
            .crypto()
            .map_err(words)?
            .subtle())
    }

    /// The key stored in the database, if any.
    async fn stored(database: &idb::Database) -> Result<Option<JsValue>, String> {
        let read = database
            .transaction(&[STORE], TransactionMode::ReadOnly)
            .map_err(words)?;
        let found = read
            .object_store(STORE)
            .map_err(words)?
            .get(JsValue::from_str(KEY))
            .map_err(words)?
            .await
            .map_err(words)?;
        Ok(found.filter(|k| !k.is_undefined()))
    }

    /// A new HMAC-SHA256 key, not extractable: no script, this app's included, can read its
    /// bytes.
    async fn generate() -> Result<JsValue, String> {
        let algorithm = Object::new();
        Reflect::set(&algorithm, &"name".into(), &"HMAC".into()).map_err(words)?;
        Reflect::set(&algorithm, &"hash".into(), &"SHA-256".into()).map_err(words)?;
        Reflect::set(&algorithm, &"length".into(), &JsValue::from(256)).map_err(words)?;
        let usages = Array::of1(&"sign".into());
        JsFuture::from(
            subtle()?
                .generate_key_with_object(&algorithm, false, &usages)
                .map_err(words)?,
        )
        .await
        .map_err(words)
    }

    /// The device's key, made on first use. Two tabs making one at once: `add` lets one win,
    /// and both use the winner's.
    async fn key() -> Result<web_sys::CryptoKey, String> {
        let database = database().await?;
        let key = async {
            if let Some(key) = stored(&database).await? {
                return Ok(key);
            }
            let made = generate().await?;
            let write = database
                .transaction(&[STORE], TransactionMode::ReadWrite)
                .map_err(words)?;
            if let Ok(request) = write
                .object_store(STORE)
                .map_err(words)?
                .add(&made, Some(&JsValue::from_str(KEY)))
            {
                let _ = request.await;
            }
            let _ = write.await;
            // Read back: the key that was stored, ours or another tab's.
            stored(&database)
                .await?
                .ok_or_else(|| "device secret not stored".to_owned())
        }
        .await;
        // An open connection would block deleting the database at sign-out.
        database.close();
        key?.dyn_into().map_err(words)
    }

    pub async fn hmac(label: &str, data: &[u8]) -> Result<Vec<u8>, String> {
        let key = key().await?;
        let mut message = label.as_bytes().to_vec();
        message.push(0);
        message.extend_from_slice(data);
        let signed = JsFuture::from(
            subtle()?
                .sign_with_str_and_u8_array("HMAC", &key, &message)
                .map_err(words)?,
        )
        .await
        .map_err(words)?;
        Ok(Uint8Array::new(&signed).to_vec())
    }

    /// Asks the browser to delete the database and does not wait: a tab that still holds a
    /// connection would make the request wait, and signing out must not. A device secret
    /// left behind opens nothing: the keyring it served is gone.
    pub async fn forget() {
        if let Ok(factory) = Factory::new() {
            let _ = factory.delete(DATABASE);
        }
    }
}
