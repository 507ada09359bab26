//! Requests the bridge makes as the appservice itself, before the bot's matrix-sdk client
//! exists: registering the bot user and creating its device.

use std::{borrow::Cow, collections::BTreeMap};

use ruma::{
    OwnedDeviceId, UserId,
    api::{
        AppserviceUserIdentity, IncomingResponse, OutgoingRequestAppserviceExt, SupportedVersions,
        auth_scheme::{AuthScheme, SendAccessToken},
        client::{
            account::register::{self, LoginType},
            device::{delete_device, get_devices, update_device},
        },
        error::ErrorKind,
        path_builder::VersionHistory,
    },
};
use secrecy::{ExposeSecret, SecretString};

use crate::BridgeError;

pub(crate) struct AppserviceClient {
    http: reqwest::Client,
    homeserver_url: String,
    as_token: SecretString,
    versions: SupportedVersions,
}

impl AppserviceClient {
    pub(crate) fn new(homeserver_url: &str, as_token: SecretString) -> Self {
        Self {
            http: reqwest::Client::new(),
            homeserver_url: homeserver_url.trim_end_matches('/').to_owned(),
            as_token,
            versions: SupportedVersions::from_parts(&["v1.11".to_owned()], &BTreeMap::new()),
        }
    }

    /// Registers a user in the appservice's namespace. Registering an existing user is fine.
    ///
    /// Spec: <https://spec.matrix.org/v1.17/application-service-api/#server-admin-style-permissions>
    pub(crate) async fn register_user(&self, localpart: &str) -> Result<(), BridgeError> {
        let mut request = register::v3::Request::new();
        request.username = Some(localpart.to_owned());
        request.login_type = Some(LoginType::ApplicationService);
        request.inhibit_login = true;
        match self.send(request, AppserviceUserIdentity::default(), "registering the bot user").await {
            Ok(_) => Ok(()),
            Err(BridgeError::Refused { kind: Some(ErrorKind::UserInUse), .. }) => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// Creates (or keeps) a device of a namespaced user, as MSC4190 allows.
    ///
    /// MSC4190: <https://github.com/matrix-org/matrix-spec-proposals/pull/4190>
    pub(crate) async fn upsert_device(
        &self,
        user_id: &UserId,
        device_id: OwnedDeviceId,
        display_name: &str,
    ) -> Result<(), BridgeError> {
        let mut request = update_device::v3::Request::new(device_id);
        request.display_name = Some(display_name.to_owned());
        self.send(request, AppserviceUserIdentity::new(user_id), "creating the bot's device").await?;
        Ok(())
    }

    /// Deletes every device of a namespaced user but `keep`. A device whose keys were lost (a
    /// wiped state directory) would otherwise go on receiving room keys it can never use.
    pub(crate) async fn delete_other_devices(
        &self,
        user_id: &UserId,
        keep: &ruma::DeviceId,
    ) -> Result<usize, BridgeError> {
        let identity = AppserviceUserIdentity::new(user_id);
        let devices =
            self.send(get_devices::v3::Request::new(), identity, "listing the bot's devices").await?.devices;
        let stale: Vec<_> = devices.into_iter().filter(|d| d.device_id != keep).collect();
        for device in &stale {
            let request = delete_device::v3::Request::new(device.device_id.clone());
            self.send(request, identity, "deleting a stale device of the bot").await?;
        }
        Ok(stale.len())
    }

    async fn send<R>(
        &self,
        request: R,
        identity: AppserviceUserIdentity<'_>,
        what: &'static str,
    ) -> Result<R::IncomingResponse, BridgeError>
    where
        R: OutgoingRequestAppserviceExt<PathBuilder = VersionHistory>,
        for<'a> R::Authentication: AuthScheme<Input<'a> = SendAccessToken<'a>>,
    {
        let http_request = request
            .try_into_http_request_with_identity::<Vec<u8>>(
                &self.homeserver_url,
                SendAccessToken::Appservice(self.as_token.expose_secret()),
                identity,
                Cow::Borrowed(&self.versions),
            )
            .map_err(|e| BridgeError::Request { what, reason: e.to_string() })?;
        let request = reqwest::Request::try_from(http_request.map(reqwest::Body::from))
            .map_err(|e| BridgeError::Request { what, reason: e.to_string() })?;
        let response = self.http.execute(request).await.map_err(|source| BridgeError::Unreachable {
            url: self.homeserver_url.clone(),
            source: Box::new(source),
        })?;
        let status = response.status();
        let body = response.bytes().await.map_err(|source| BridgeError::Unreachable {
            url: self.homeserver_url.clone(),
            source: Box::new(source),
        })?;
        if !status.is_success() {
            return Err(BridgeError::refused(what, status.as_u16(), &body));
        }
        let http_response = http::Response::builder()
            .status(status)
            .body(body.to_vec())
            .map_err(|e| BridgeError::Request { what, reason: e.to_string() })?;
        R::IncomingResponse::try_from_http_response(http_response)
            .map_err(|e| BridgeError::Request { what, reason: e.to_string() })
    }
}
