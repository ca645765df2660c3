using System.Text.Json.Serialization;

namespace Lan.Actors.Hocon;

// Source-generated so quoting a string for an error message stays trimming- and AOT-safe.
[JsonSerializable(typeof(string))]
internal sealed partial class HoconJsonContext : JsonSerializerContext;
