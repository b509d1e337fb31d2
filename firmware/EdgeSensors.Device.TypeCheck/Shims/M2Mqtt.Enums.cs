// Compile-only shim of nanoFramework.M2Mqtt 5.1.199 (package nanoFramework.M2Mqtt): the enums of nanoFramework.M2Mqtt.Core (Messages/MqttQoSLevel.cs, MqttReasonCode.cs, MqttSslProtocols.cs) and MqttProtocolVersion, declared in M2Mqtt/MqttClient.cs. Shared with the simulated board
// (firmware/EdgeSensors.Device.Simulator links this file), so each value is transcribed once. No behaviour; never deployed.
// Transcribes: nanoFramework.M2Mqtt 5.1.199
namespace nanoFramework.M2Mqtt.Messages
{
    // MqttQoSLevel.cs and MqttReasonCode.cs (nanoFramework.M2Mqtt.Core): int enums.
    public enum MqttQoSLevel
    {
        AtMostOnce = 0x00,
        AtLeastOnce = 0x01,
        ExactlyOnce = 0x02,
        GrantedFailure = 0x80,
    }

    public enum MqttReasonCode
    {
        Success = 0x00,
    }
}

namespace nanoFramework.M2Mqtt
{
    // MqttSslProtocols.cs (nanoFramework.M2Mqtt.Core) and MqttProtocolVersion (declared in M2Mqtt/MqttClient.cs): in
    // nanoFramework.M2Mqtt, not in .Messages.
    public enum MqttSslProtocols
    {
        None = 0,
        SSLv3 = 1,
        TLSv1_0 = 2,
        TLSv1_1 = 3,
        TLSv1_2 = 4,
        TLSv1_3 = 5,
    }

    public enum MqttProtocolVersion
    {
        Version_3_1 = 0x03,
        Version_3_1_1 = 0x04,
        Version_5 = 0x05,
    }
}
