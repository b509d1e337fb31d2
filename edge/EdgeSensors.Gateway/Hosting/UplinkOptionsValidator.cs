using System.ComponentModel.DataAnnotations;
using EdgeSensors.Gateway.Options;
using Microsoft.Extensions.Options;

namespace EdgeSensors.Gateway.Hosting;

/// <summary>
/// Checks Uplink:IotHub's own ranges and forms: data annotations on a nested section are not checked by
/// ValidateDataAnnotations, and each message already names its option.
/// </summary>
public sealed class UplinkOptionsValidator : IValidateOptions<UplinkOptions>
{
    public ValidateOptionsResult Validate(string? name, UplinkOptions options)
    {
        var results = new List<ValidationResult>();
        if (Validator.TryValidateObject(options.IotHub, new ValidationContext(options.IotHub), results, validateAllProperties: true))
        {
            return ValidateOptionsResult.Success;
        }

        return ValidateOptionsResult.Fail(results.Select(r => r.ErrorMessage ?? "Uplink:IotHub is not valid"));
    }
}
