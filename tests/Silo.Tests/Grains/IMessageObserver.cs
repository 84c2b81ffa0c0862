namespace Platform.Silo.Tests.Grains;

public interface IMessageObserver : IGrainObserver
{
    void OnMessage(int value);
}
