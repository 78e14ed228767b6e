using Microsoft.Extensions.Options;

namespace MusicSearch.Indexing.Messaging;

/// <summary>Checks the <c>Bus</c> section before any connection is tried; each message names the key to fix.</summary>
public sealed class BusOptionsValidator : IValidateOptions<BusOptions>
{
    public ValidateOptionsResult Validate(string? name, BusOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (!Enum.IsDefined(options.Transport))
        {
            errors.Add($"Bus:Transport must be one of {string.Join(", ", Enum.GetNames<BusTransport>())} (got {options.Transport}).");
        }
        if (!options.EndpointPrefix.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            errors.Add($"Bus:EndpointPrefix may hold only ASCII letters, digits, '-', '_' and '.' (got '{options.EndpointPrefix}').");
        }
        if (options.PrefetchCount is < 1 or > ushort.MaxValue)
        {
            errors.Add($"Bus:PrefetchCount must be between 1 and {ushort.MaxValue} (got {options.PrefetchCount}).");
        }
        if (options.StartTimeout <= TimeSpan.Zero)
        {
            errors.Add($"Bus:StartTimeout must be positive (got {options.StartTimeout}).");
        }
        ValidateRetry(options.Retry, errors);
        if (options.Transport == BusTransport.RabbitMq)
        {
            ValidateRabbitMq(options.RabbitMq, errors);
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void ValidateRetry(BusRetryOptions retry, List<string> errors)
    {
        if (retry.Limit < 0)
        {
            errors.Add($"Bus:Retry:Limit must be 0 or more (got {retry.Limit}).");
        }
        if (retry.MinInterval < TimeSpan.Zero || retry.IntervalDelta < TimeSpan.Zero)
        {
            errors.Add($"Bus:Retry:MinInterval and Bus:Retry:IntervalDelta must not be negative (got {retry.MinInterval} and {retry.IntervalDelta}).");
        }
        if (retry.MaxInterval < retry.MinInterval)
        {
            errors.Add($"Bus:Retry:MaxInterval ({retry.MaxInterval}) must not be shorter than Bus:Retry:MinInterval ({retry.MinInterval}).");
        }
    }

    private static void ValidateRabbitMq(RabbitMqOptions rabbitMq, List<string> errors)
    {
        const string Reason = "is required when Bus:Transport is RabbitMq";
        if (string.IsNullOrWhiteSpace(rabbitMq.Host))
        {
            errors.Add($"Bus:RabbitMq:Host {Reason}.");
        }
        if (rabbitMq.Port is < 1 or > 65535)
        {
            errors.Add($"Bus:RabbitMq:Port must be between 1 and 65535 (got {rabbitMq.Port}).");
        }
        if (string.IsNullOrEmpty(rabbitMq.VirtualHost))
        {
            errors.Add($"Bus:RabbitMq:VirtualHost {Reason} ('/' is the broker's default).");
        }
        if (string.IsNullOrEmpty(rabbitMq.Username))
        {
            errors.Add($"Bus:RabbitMq:Username {Reason}.");
        }
        if (string.IsNullOrEmpty(rabbitMq.Password))
        {
            errors.Add($"Bus:RabbitMq:Password {Reason}.");
        }
    }
}
