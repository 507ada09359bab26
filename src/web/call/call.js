// The call page: joins the call's video room through szpon's relay, with a pass that szpon gave
// this page (after a personal link was spent, or after Element vouched for the person through
// the widget API). The page never sees the room's PIN or any credential another person could
// reuse: the pass opens one relay connection, once, within a minute.
//
// A LIVE broadcast (data-live) has one sender, its presenter; everyone else only watches: the
// page then asks the room who sends, subscribes to them, and shows how many watch.
"use strict";

(function () {
  const main = document.getElementById("call");
  const callId = main.dataset.call;
  const statusLine = document.getElementById("status");
  const videos = document.getElementById("videos");
  const texts = JSON.parse(document.getElementById("texts").textContent);
  const live = main.dataset.live === "true";
  let sendsVideo = main.dataset.sendsVideo !== "false";
  let janus = null;
  let publisher = null;
  let myPrivateId = null;
  const feeds = new Map();

  function say(text) {
    statusLine.textContent = text;
  }

  function relayUrl(pass) {
    const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
    return scheme + "//" + window.location.host + "/rozmowa/" + encodeURIComponent(callId) +
      "/janus?przepustka=" + encodeURIComponent(pass);
  }

  // Inside Element, the page is a widget: Element vouches for the person with an OpenID token.
  async function passFromWidget() {
    const params = new URLSearchParams(window.location.search);
    const widgetId = params.get("widgetId");
    if (!widgetId || window.parent === window || typeof mxwidgets === "undefined") {
      return null;
    }
    let origin = null;
    try {
      origin = new URL(params.get("parentUrl") || document.referrer).origin;
    } catch (error) {
      origin = null;
    }
    const api = new mxwidgets.WidgetApi(widgetId, origin);
    const ready = new Promise((resolve) => api.once("ready", resolve));
    api.start();
    api.sendContentLoaded();
    await ready;
    const credentials = await api.requestOpenIDConnectToken();
    const response = await fetch("/rozmowa/" + encodeURIComponent(callId) + "/openid", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        access_token: credentials.access_token,
        matrix_server_name: credentials.matrix_server_name,
      }),
    });
    const answer = await response.json();
    if (!response.ok) {
      throw new Error(answer.error || texts.refused);
    }
    sendsVideo = answer.sends_video !== false;
    if (Array.isArray(answer.ice_servers)) {
      // With the pass come the TURN credentials, which the page had not before.
      main.dataset.iceServers = JSON.stringify(answer.ice_servers);
    }
    return answer.pass;
  }

  function addVideo(id, label, stream, muted) {
    let figure = document.getElementById("feed-" + id);
    if (!figure) {
      figure = document.createElement("figure");
      figure.id = "feed-" + id;
      const video = document.createElement("video");
      video.autoplay = true;
      video.playsInline = true;
      video.muted = muted;
      video.setAttribute("aria-label", label);
      const caption = document.createElement("figcaption");
      caption.textContent = label;
      figure.append(video, caption);
      videos.append(figure);
    }
    Janus.attachMediaStream(figure.querySelector("video"), stream);
  }

  function removeVideo(id) {
    const figure = document.getElementById("feed-" + id);
    if (figure) {
      figure.remove();
    }
  }

  function subscribe(feed) {
    if (feeds.has(feed.id)) {
      return;
    }
    const remoteStream = new MediaStream();
    janus.attach({
      plugin: "janus.plugin.videoroom",
      success: function (handle) {
        feeds.set(feed.id, handle);
        const join = { request: "join", ptype: "subscriber", room: 0, streams: [{ feed: feed.id }] };
        if (myPrivateId) {
          join.private_id = myPrivateId;
        }
        handle.send({ message: join });
      },
      onmessage: function (message, jsep) {
        const handle = feeds.get(feed.id);
        if (handle && (message.left === "ok" || message.error)) {
          handle.detach();
          return;
        }
        if (jsep && handle) {
          handle.createAnswer({
            jsep: jsep,
            tracks: [{ type: "data" }],
            success: function (answer) {
              handle.send({ message: { request: "start" }, jsep: answer });
            },
            error: function () {
              say(texts.media_error);
            },
          });
        }
      },
      onremotetrack: function (track, mid, on) {
        if (on) {
          remoteStream.addTrack(track);
        } else {
          remoteStream.removeTrack(track);
        }
        addVideo(feed.id, feed.display || texts.participant, remoteStream, false);
      },
      oncleanup: function () {
        removeVideo(feed.id);
        feeds.delete(feed.id);
      },
    });
  }

  function onPublisherMessage(message, jsep) {
    const event = message.videoroom;
    if (event === "joined") {
      myPrivateId = message.private_id;
      say(live ? texts.presenting : texts.joined);
      publish();
    }
    (message.publishers || []).forEach(subscribe);
    const gone = message.leaving || message.unpublished;
    if (gone && gone !== "ok" && feeds.has(gone)) {
      feeds.get(gone).detach();
    }
    if (message.error) {
      say(texts.refused + " (" + message.error + ")");
    }
    if (jsep) {
      publisher.handleRemoteJsep({ jsep: jsep });
    }
  }

  function publish() {
    publisher.createOffer({
      tracks: [
        { type: "audio", capture: true, recv: false },
        { type: "video", capture: true, recv: false },
      ],
      success: function (offer) {
        publisher.send({ message: { request: "configure", audio: true, video: true }, jsep: offer });
      },
      error: function () {
        say(texts.no_camera);
        publisher.send({ message: { request: "configure", audio: false, video: false } });
      },
    });
  }

  // A viewer of a broadcast: asks every few seconds who sends, and watches them.
  function watch() {
    janus.attach({
      plugin: "janus.plugin.videoroom",
      success: function (control) {
        say(texts.waiting);
        const ask = function () {
          control.send({
            message: { request: "listparticipants", room: 0 },
            success: function (result) {
              const senders = ((result && result.participants) || []).filter((p) => p.publisher);
              senders.forEach(subscribe);
              say(senders.length > 0 ? texts.watching : texts.waiting);
              window.setTimeout(ask, 3000);
            },
            error: function () {
              window.setTimeout(ask, 3000);
            },
          });
        };
        ask();
      },
      error: function () {
        say(texts.refused);
      },
    });
  }

  // How many watch, for everyone on a broadcast's page.
  function countViewers() {
    const line = document.getElementById("viewers");
    const refresh = async function () {
      try {
        const response = await fetch("/rozmowa/" + encodeURIComponent(callId) + "/widzowie", { cache: "no-store" });
        if (response.ok) {
          const answer = await response.json();
          line.textContent = texts.viewers.replace("{}", String(answer.viewers));
          line.hidden = false;
        }
      } catch (error) {
        // The count waits for the next try; the broadcast goes on.
      }
      window.setTimeout(refresh, 10000);
    };
    refresh();
  }

  function start(pass) {
    Janus.init({
      debug: false,
      dependencies: Janus.useDefaultDependencies({ adapter: window.adapter }),
      callback: function () {
        janus = new Janus({
          server: relayUrl(pass),
          iceServers: JSON.parse(main.dataset.iceServers || "[]"),
          success: function () {
            if (live) {
              countViewers();
            }
            if (!sendsVideo) {
              document.getElementById("mute").hidden = true;
              document.getElementById("camera").hidden = true;
              watch();
              return;
            }
            janus.attach({
              plugin: "janus.plugin.videoroom",
              success: function (handle) {
                publisher = handle;
                handle.send({ message: { request: "join", ptype: "publisher", room: 0 } });
              },
              onmessage: onPublisherMessage,
              onlocaltrack: function (track, on) {
                if (on && track.kind === "video") {
                  addVideo("local", texts.you, new MediaStream([track]), true);
                }
              },
              error: function () {
                say(texts.refused);
              },
            });
          },
          error: function () {
            say(texts.disconnected);
          },
          destroyed: function () {
            say(texts.left);
          },
        });
      },
    });
  }

  document.getElementById("leave").addEventListener("click", function () {
    if (janus) {
      janus.destroy();
    }
    say(texts.left);
  });
  // A button that turns the microphone or the camera off and on again; pressed means off.
  function toggle(id, isOff, turnOn, turnOff) {
    document.getElementById(id).addEventListener("click", function (event) {
      if (!publisher) {
        return;
      }
      const off = isOff(publisher);
      (off ? turnOn : turnOff)(publisher);
      event.target.setAttribute("aria-pressed", String(!off));
    });
  }
  toggle("mute", (handle) => handle.isAudioMuted(), (handle) => handle.unmuteAudio(), (handle) => handle.muteAudio());
  toggle("camera", (handle) => handle.isVideoMuted(), (handle) => handle.unmuteVideo(), (handle) => handle.muteVideo());

  (async function () {
    try {
      const pass = main.dataset.pass || (await passFromWidget());
      if (!pass) {
        say(texts.outside_widget);
        return;
      }
      say(texts.connecting);
      start(pass);
    } catch (error) {
      say(error.message || texts.refused);
    }
  })();
})();
