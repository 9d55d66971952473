using System.Text;

namespace IdpBridge.Cli;

/// <summary>Where an export goes: a file given with <c>--file</c>, else standard output as bytes (so a byte-order mark stays one).</summary>
internal static class ExportOutput
{
    /// <summary>Runs <paramref name="write"/> on the file (created or replaced) or on standard output; returns what it returns.</summary>
    public static async Task<long> WriteAsync(CliContext context, FileInfo? file, Func<Stream, Task<long>> write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(write);
        if (file is not null)
        {
            var stream = new FileStream(file.FullName, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
            await using (stream.ConfigureAwait(false))
            {
                return await write(stream).ConfigureAwait(false);
            }
        }

        await context.Output.FlushAsync(cancellationToken).ConfigureAwait(false);
        var output = context.OpenStandardOutput?.Invoke() ?? new TextWriterStream(context.Output);
        await using (output.ConfigureAwait(false))
        {
            return await write(output).ConfigureAwait(false);
        }
    }

    /// <summary>Bytes written to it reach a <see cref="TextWriter"/> as UTF-8 text (a byte-order mark becomes U+FEFF).</summary>
    private sealed class TextWriterStream(TextWriter writer) : Stream
    {
        private readonly Decoder decoder = new UTF8Encoding(false).GetDecoder();

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            var chars = new char[decoder.GetCharCount(buffer, flush: false)];
            decoder.GetChars(buffer, chars, flush: false);
            writer.Write(chars);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Write(buffer.AsSpan(offset, count));
            return Task.CompletedTask;
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public override void Flush() => writer.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
