// Compile-only shim of nanoFramework.M2Mqtt 5.1.199 (package nanoFramework.M2Mqtt): the MqttClient surface the transport
// adapter uses, transcribed from the library's MqttClient.cs / IMqttClient (event delegates nested in IMqttClient, as
// there). No behaviour; never deployed.
// Transcribes: nanoFramework.M2Mqtt 5.1.199
using System;
using System.Collections;
using System.Security.Cryptography.X509Certificates;

namespace nanoFramework.M2Mqtt.Messages
{
    public class MqttMsgPublishEventArgs : EventArgs
    {
        public string Topic => throw new NotSupportedException();

        public byte[] Message => throw new NotSupportedException();
    }

    // MqttMsgPublishedEventArgs.cs: the properties have internal setters (the client fills them in).
    public class MqttMsgPublishedEventArgs : EventArgs
    {
        public ushort MessageId { get => throw new NotSupportedException(); internal set => throw new NotSupportedException(); }

        public bool IsPublished { get => throw new NotSupportedException(); internal set => throw new NotSupportedException(); }
    }
}

namespace nanoFramework.M2Mqtt
{
    using nanoFramework.M2Mqtt.Messages;

    public interface IMqttClient
    {
        delegate void MqttMsgPublishEventHandler(object sender, MqttMsgPublishEventArgs e);

        delegate void MqttMsgPublishedEventHandler(object sender, MqttMsgPublishedEventArgs e);
    }

    public class MqttClient : IMqttClient, IDisposable
    {
        public MqttClient(string brokerHostName, int brokerPort, bool secure, X509Certificate caCert, X509Certificate clientCert, MqttSslProtocols sslProtocol) => throw new NotSupportedException();

        public event IMqttClient.MqttMsgPublishEventHandler MqttMsgPublishReceived { add => throw new NotSupportedException(); remove => throw new NotSupportedException(); }

        public event IMqttClient.MqttMsgPublishedEventHandler MqttMsgPublished { add => throw new NotSupportedException(); remove => throw new NotSupportedException(); }

        public bool IsConnected => throw new NotSupportedException();

        public MqttProtocolVersion ProtocolVersion { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public MqttReasonCode Connect(string clientId, string username, string password, bool willRetain, MqttQoSLevel willQosLevel, bool willFlag, string willTopic, string willMessage, bool cleanSession, ushort keepAlivePeriod) => throw new NotSupportedException();

        public ushort Publish(string topic, byte[] message, string contentType, ArrayList userProperties, MqttQoSLevel qosLevel, bool retain) => throw new NotSupportedException();

        public ushort Subscribe(string[] topics, MqttQoSLevel[] qosLevels) => throw new NotSupportedException();

        public void Disconnect() => throw new NotSupportedException();

        public void Dispose() => throw new NotSupportedException();
    }
}
