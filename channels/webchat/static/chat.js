// Mounts the rasa-webchat widget full-page. Kept out of index.html so a strict
// Content-Security-Policy (script-src 'self') can serve the page.
WebChat.default(
  {
    initPayload: null,
    socketUrl: window.location.origin,
    socketPath: "/socket.io/",
    title: "Acolhe",
    subtitle: "Atendimento · Atención",
    inputTextFieldHint: "Escreva sua mensagem… / Escriba su mensaje…",
    connectingText: "Conectando…",
    embedded: true,
    showCloseButton: false,
    showFullScreenButton: false,
    hideWhenNotConnected: false,
    params: { storage: "local" },
  },
  document.getElementById("webchat")
);
