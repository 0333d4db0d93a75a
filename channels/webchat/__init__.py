"""The web chat: the rasa-webchat widget's page and the socket.io server it talks to.

The widget (npm `rasa-webchat`, pinned in package.json) is built into static/vendor/ by
`npm run build`; the socket.io side speaks the protocol of Rasa's own `socketio` channel.
"""
